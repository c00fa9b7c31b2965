import fs from 'node:fs'
import { AppError } from '../../../shared/errors'
import { checkEaf } from './eaf-check'
import type { EafAnnotation, EafDocument, EafTier } from './eaf-document'
import { parseXmlTree, type XmlElement } from './xml-tree'

/**
 * Reads an .eaf file: well-formed XML, valid against EAF 3.0 (`checkEaf`), time in
 * milliseconds. Anything else is an `invalid_file` error naming the file and, for schema
 * problems, the element (tier, annotation, time slot) and what is wrong.
 */
export function readEafFile(file: string): EafDocument {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (error) {
    throw new AppError('not_found', `Cannot read ${file}: ${(error as Error).message}`, { file })
  }
  return readEafText(text, file)
}

/** Reads .eaf text (see `readEafFile`); `file` names it in errors. */
export function readEafText(text: string, file: string): EafDocument {
  const root = parseXmlTree(text)
  if (!('name' in root)) {
    throw new AppError(
      'invalid_file',
      `${file}, line ${root.line}, column ${root.column}: not well-formed XML: ${root.message}`,
      { file, line: root.line, column: root.column },
    )
  }
  const problems = checkEaf(root)
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).map((p) => `${p.where}: ${p.message}`)
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''
    throw new AppError(
      'invalid_file',
      `${file} is not a valid EAF 3.0 document: ${shown.join('; ')}${more}`,
      { file, problems },
    )
  }
  const header = child(root, 'HEADER')
  const units = header?.attributes.TIME_UNITS ?? 'milliseconds'
  if (units !== 'milliseconds') {
    throw new AppError('unsupported', `${file}: time units ${units}; only milliseconds are read`, {
      file,
    })
  }
  return toDocument(root)
}

function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name)
}

function children(element: XmlElement | undefined, name: string): XmlElement[] {
  return element ? element.children.filter((c) => c.name === name) : []
}

function toDocument(root: XmlElement): EafDocument {
  const header = child(root, 'HEADER')
  const a = root.attributes
  return {
    author: a.AUTHOR,
    date: a.DATE,
    media: children(header, 'MEDIA_DESCRIPTOR').map((m) => ({
      url: m.attributes.MEDIA_URL,
      relativeUrl: m.attributes.RELATIVE_MEDIA_URL,
      mimeType: m.attributes.MIME_TYPE,
    })),
    properties: children(header, 'PROPERTY').map((p) => ({
      name: p.attributes.NAME ?? '',
      value: p.text,
    })),
    timeSlots: children(child(root, 'TIME_ORDER'), 'TIME_SLOT').map((s) => ({
      id: s.attributes.TIME_SLOT_ID,
      ms: s.attributes.TIME_VALUE === undefined ? null : Number(s.attributes.TIME_VALUE),
    })),
    tiers: children(root, 'TIER').map(toTier),
    linguisticTypes: children(root, 'LINGUISTIC_TYPE').map((t) => ({
      id: t.attributes.LINGUISTIC_TYPE_ID,
      timeAlignable: t.attributes.TIME_ALIGNABLE !== 'false' && t.attributes.TIME_ALIGNABLE !== '0',
      constraint: t.attributes.CONSTRAINTS,
      vocabulary: t.attributes.CONTROLLED_VOCABULARY_REF,
    })),
    // Vocabularies are written for ELAN's sake; reading takes the AU codes from the annotations.
    vocabularies: [],
  }
}

function toTier(tier: XmlElement): EafTier {
  const a = tier.attributes
  const annotations: EafAnnotation[] = []
  for (const annotation of children(tier, 'ANNOTATION')) {
    const aligned = child(annotation, 'ALIGNABLE_ANNOTATION')
    // Reference annotations have no time of their own: nothing for a marker.
    if (!aligned) continue
    annotations.push({
      id: aligned.attributes.ANNOTATION_ID,
      startSlot: aligned.attributes.TIME_SLOT_REF1,
      endSlot: aligned.attributes.TIME_SLOT_REF2,
      value: child(aligned, 'ANNOTATION_VALUE')?.text ?? '',
    })
  }
  return {
    id: a.TIER_ID,
    participant: a.PARTICIPANT,
    annotator: a.ANNOTATOR,
    type: a.LINGUISTIC_TYPE_REF,
    parent: a.PARENT_REF,
    annotations,
  }
}
