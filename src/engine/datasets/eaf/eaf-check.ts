import { EAF_ELEMENTS, EAF_REFERENCES, type AttributeType, type ElementRule } from './eaf-schema'
import type { XmlElement } from './xml-tree'

/** One way a document breaks the EAF 3.0 schema: where (an element path) and what. */
export interface EafProblem {
  where: string
  message: string
}

const NC_NAME = /^[A-Za-z_][\w.-]*$/
const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/
const TYPE_PATTERNS: Record<string, RegExp> = {
  ID: NC_NAME,
  IDREF: NC_NAME,
  dateTime: DATE_TIME,
  unsignedInt: /^\+?\d+$/,
  long: /^[+-]?\d+$/,
  boolean: /^(true|false|1|0)$/,
}

/**
 * Checks a parsed document against the EAF 3.0 schema (`eaf-schema.ts`): the root, each
 * element's attributes (required, declared, typed), its children in the schema's order and
 * counts, text only where allowed, unique IDs and keys, and every reference resolved.
 * Returns every problem found (none: valid).
 */
export function checkEaf(root: XmlElement): EafProblem[] {
  const problems: EafProblem[] = []
  if (root.name !== 'ANNOTATION_DOCUMENT') {
    return [
      { where: root.name, message: `the root element is ${root.name}, not ANNOTATION_DOCUMENT` },
    ]
  }
  const all: { element: XmlElement; where: string }[] = []
  walk(root, root.name, problems, all)
  checkIds(all, problems)
  checkReferences(all, problems)
  return problems
}

function walk(
  element: XmlElement,
  where: string,
  problems: EafProblem[],
  all: { element: XmlElement; where: string }[],
): void {
  all.push({ element, where })
  const rule = EAF_ELEMENTS[element.name]
  if (!rule) {
    problems.push({ where, message: `EAF 3.0 has no element ${element.name}` })
    return
  }
  if (rule.open) return
  checkAttributes(element, rule, where, problems)
  checkContent(element, rule, where, problems)
  if (!rule.text && element.text.trim() !== '') {
    problems.push({ where, message: `${element.name} holds text, which EAF 3.0 does not allow` })
  }
  const counts = new Map<string, number>()
  for (const child of element.children) {
    const n = (counts.get(child.name) ?? 0) + 1
    counts.set(child.name, n)
    walk(child, `${where}/${child.name}[${n}]${label(child)}`, problems, all)
  }
}

/** An identifying attribute, to make a path readable: TIER[2] "Ann". */
function label(element: XmlElement): string {
  const a = element.attributes
  const id = a.TIER_ID ?? a.ANNOTATION_ID ?? a.TIME_SLOT_ID ?? a.LINGUISTIC_TYPE_ID ?? a.CV_ID
  return id === undefined ? '' : ` "${id}"`
}

function checkAttributes(
  element: XmlElement,
  rule: ElementRule,
  where: string,
  problems: EafProblem[],
): void {
  for (const [name, spec] of Object.entries(rule.attributes)) {
    const value = element.attributes[name]
    if (value === undefined) {
      if (spec.required) problems.push({ where, message: `${element.name} lacks ${name}` })
    } else if (!fitsType(value, spec.type)) {
      problems.push({ where, message: `${name}="${value}" is not ${typeName(spec.type)}` })
    }
  }
  for (const name of Object.keys(element.attributes)) {
    if (name.startsWith('xmlns') || name.startsWith('xsi:')) continue
    if (!(name in rule.attributes)) {
      problems.push({ where, message: `EAF 3.0 has no attribute ${name} on ${element.name}` })
    }
  }
}

function fitsType(value: string, type: AttributeType): boolean {
  if (typeof type !== 'string') return type.includes(value)
  const pattern = TYPE_PATTERNS[type]
  return pattern === undefined || pattern.test(value.trim())
}

function typeName(type: AttributeType): string {
  return typeof type === 'string' ? `a valid xsd:${type}` : `one of ${type.join(', ')}`
}

/** Children must follow the sequence: each step's names, between its min and max times. */
function checkContent(
  element: XmlElement,
  rule: ElementRule,
  where: string,
  problems: EafProblem[],
): void {
  let step = 0
  let count = 0
  for (const child of element.children) {
    while (step < rule.content.length && !rule.content[step].names.includes(child.name)) {
      if (count < rule.content[step].min) break
      step++
      count = 0
    }
    const current = rule.content[step]
    if (!current || !current.names.includes(child.name)) {
      const expected = current ? ` where ${current.names.join(' or ')} must come` : ''
      problems.push({
        where,
        message: `${child.name} is out of place in ${element.name}${expected}`,
      })
      return
    }
    count++
    if (count > current.max) {
      problems.push({
        where,
        message: `${element.name} has more than ${current.max} ${child.name}`,
      })
      return
    }
  }
  for (; step < rule.content.length; step++, count = 0) {
    if (count < rule.content[step].min) {
      problems.push({
        where,
        message: `${element.name} lacks ${rule.content[step].names.join(' or ')}`,
      })
      return
    }
  }
}

function checkIds(all: { element: XmlElement; where: string }[], problems: EafProblem[]): void {
  const seen = new Set<string>()
  for (const { element, where } of all) {
    const rule = EAF_ELEMENTS[element.name]
    if (!rule || rule.open) continue
    for (const [name, spec] of Object.entries(rule.attributes)) {
      const value = element.attributes[name]
      if (spec.type !== 'ID' || value === undefined) continue
      if (seen.has(value)) problems.push({ where, message: `the ID ${value} is used twice` })
      seen.add(value)
    }
  }
  for (const { element, where } of all) {
    for (const name of ['ANNOTATION_REF', 'PREVIOUS_ANNOTATION']) {
      const value = element.attributes[name]
      if (value !== undefined && !seen.has(value)) {
        problems.push({ where, message: `${name}="${value}" names no element of the document` })
      }
    }
  }
}

function checkReferences(
  all: { element: XmlElement; where: string }[],
  problems: EafProblem[],
): void {
  const keys = new Map<string, Set<string>>()
  for (const ref of EAF_REFERENCES) {
    const id = `${ref.keyElement}/${ref.key}`
    if (keys.has(id)) continue
    const values = new Set<string>()
    for (const { element, where } of all.filter((e) => e.element.name === ref.keyElement)) {
      const value = element.attributes[ref.key]
      if (value === undefined) continue
      if (values.has(value))
        problems.push({ where, message: `${ref.key} "${value}" is used twice` })
      values.add(value)
    }
    keys.set(id, values)
  }
  for (const ref of EAF_REFERENCES) {
    const values = keys.get(`${ref.keyElement}/${ref.key}`)!
    for (const { element, where } of all.filter((e) => e.element.name === ref.element)) {
      const value = element.attributes[ref.attribute]
      if (value !== undefined && !values.has(value)) {
        problems.push({
          where,
          message: `${ref.attribute}="${value}" names no ${ref.keyElement} of the document`,
        })
      }
    }
  }
}
