import { XMLParser, XMLValidator } from 'fast-xml-parser'

/** One XML element: its name, attributes, child elements and text. */
export interface XmlElement {
  name: string
  attributes: Record<string, string>
  children: XmlElement[]
  /** The element's own text, concatenated (entities decoded). */
  text: string
}

/** Why a text is not well-formed XML, with where. */
export interface XmlSyntaxError {
  message: string
  line: number
  column: number
}

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> }

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Decodes numeric character references (&#10;), as XML requires; the same switch also reads
  // HTML's named entities, which ELAN never writes.
  htmlEntities: true,
})

/**
 * Parses XML into a tree of elements (comments and processing instructions dropped); the
 * root element, or the syntax error that stops it.
 */
export function parseXmlTree(text: string): XmlElement | XmlSyntaxError {
  const valid = XMLValidator.validate(text)
  if (valid !== true) {
    return { message: valid.err.msg, line: valid.err.line, column: valid.err.col }
  }
  const roots = (parser.parse(text) as OrderedNode[]).map(toElement).filter((e) => e !== null)
  if (roots.length !== 1)
    return { message: 'The file has no single root element', line: 1, column: 1 }
  return roots[0]
}

function toElement(node: OrderedNode): XmlElement | null {
  const name = Object.keys(node).find((k) => k !== ':@' && k !== '#text')
  if (name === undefined || name === '#comment') return null
  const content = node[name] as OrderedNode[]
  const element: XmlElement = {
    name,
    attributes: { ...(node[':@'] ?? {}) },
    children: [],
    text: '',
  }
  for (const child of content) {
    if ('#text' in child) element.text += String(child['#text'])
    else {
      const sub = toElement(child)
      if (sub) element.children.push(sub)
    }
  }
  return element
}
