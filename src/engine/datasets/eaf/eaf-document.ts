/**
 * The parts of an ELAN annotation document (EAF 3.0) this app writes and reads, and the
 * writer that turns one into XML in the order the EAF 3.0 schema requires.
 */

/** One media file the document is linked to. */
export interface EafMedia {
  /** Absolute `file:` URL. */
  url: string
  /** The same file relative to the .eaf ('./clip.mp4', '../frames/EP01'), when there is one. */
  relativeUrl?: string
  mimeType: string
}

/** One annotation aligned to two time slots. */
export interface EafAnnotation {
  id: string
  startSlot: string
  endSlot: string
  value: string
}

/** One tier: an independent one, or one that depends on `parent`. */
export interface EafTier {
  id: string
  participant?: string
  annotator?: string
  type: string
  parent?: string
  annotations: EafAnnotation[]
}

/** A linguistic type: whether its tiers are time-aligned, under what constraint, with what vocabulary. */
export interface EafLinguisticType {
  id: string
  timeAlignable: boolean
  /** A constraint stereotype ('Included_In', …) for dependent tiers. */
  constraint?: string
  vocabulary?: string
}

/** A controlled vocabulary (English entries only). */
export interface EafVocabulary {
  id: string
  description: string
  entries: { id: string; value: string; description: string }[]
}

/** An annotation document as this app sees it. */
export interface EafDocument {
  author: string
  /** xsd:dateTime. */
  date: string
  media: EafMedia[]
  properties: { name: string; value: string }[]
  /** Time slots; `ms` is null for an unaligned slot. */
  timeSlots: { id: string; ms: number | null }[]
  tiers: EafTier[]
  linguisticTypes: EafLinguisticType[]
  vocabularies: EafVocabulary[]
}

/** ELAN's four constraint stereotypes, declared in every document it writes. */
export const EAF_CONSTRAINTS: readonly { stereotype: string; description: string }[] = [
  {
    stereotype: 'Time_Subdivision',
    description:
      "Time subdivision of parent annotation's time interval, no time gaps allowed within this interval",
  },
  {
    stereotype: 'Symbolic_Subdivision',
    description:
      'Symbolic subdivision of a parent annotation. Annotations refering to the same parent are ordered',
  },
  { stereotype: 'Symbolic_Association', description: '1-1 association with a parent annotation' },
  {
    stereotype: 'Included_In',
    description:
      "Time alignable annotations within the parent annotation's time interval, gaps are allowed",
  },
]

/** The one content language of the documents this app writes. */
export const EAF_LANGUAGE = { id: 'eng', label: 'English (eng)' }

/** Escapes text for XML content and double-quoted attributes. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`)
}

type Attributes = Record<string, string | number | boolean | undefined>

function tag(name: string, attributes: Attributes, content?: string[] | string): string {
  const attrs = Object.entries(attributes)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('')
  if (content === undefined || content.length === 0) return `<${name}${attrs}/>`
  if (typeof content === 'string') return `<${name}${attrs}>${escapeXml(content)}</${name}>`
  return `<${name}${attrs}>\n${content.map((c) => indent(c)).join('\n')}\n</${name}>`
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n')
}

/** The document as EAF 3.0 XML, elements in the schema's order. */
export function writeEafXml(doc: EafDocument): string {
  const header = tag('HEADER', { MEDIA_FILE: '', TIME_UNITS: 'milliseconds' }, [
    ...doc.media.map((m) =>
      tag('MEDIA_DESCRIPTOR', {
        MEDIA_URL: m.url,
        MIME_TYPE: m.mimeType,
        RELATIVE_MEDIA_URL: m.relativeUrl,
      }),
    ),
    ...doc.properties.map((p) => tag('PROPERTY', { NAME: p.name }, p.value)),
  ])
  const timeOrder = tag(
    'TIME_ORDER',
    {},
    doc.timeSlots.map((s) =>
      tag('TIME_SLOT', { TIME_SLOT_ID: s.id, TIME_VALUE: s.ms ?? undefined }),
    ),
  )
  const body = [
    header,
    timeOrder,
    ...doc.tiers.map(writeTier),
    ...doc.linguisticTypes.map((t) =>
      tag('LINGUISTIC_TYPE', {
        LINGUISTIC_TYPE_ID: t.id,
        TIME_ALIGNABLE: t.timeAlignable,
        CONSTRAINTS: t.constraint,
        GRAPHIC_REFERENCES: false,
        CONTROLLED_VOCABULARY_REF: t.vocabulary,
      }),
    ),
    tag('LANGUAGE', { LANG_ID: EAF_LANGUAGE.id, LANG_LABEL: EAF_LANGUAGE.label }),
    ...EAF_CONSTRAINTS.map((c) =>
      tag('CONSTRAINT', { STEREOTYPE: c.stereotype, DESCRIPTION: c.description }),
    ),
    ...doc.vocabularies.map(writeVocabulary),
  ]
  const root = tag(
    'ANNOTATION_DOCUMENT',
    {
      AUTHOR: doc.author,
      DATE: doc.date,
      FORMAT: '3.0',
      VERSION: '3.0',
      'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      'xsi:noNamespaceSchemaLocation': 'http://www.mpi.nl/tools/elan/EAFv3.0.xsd',
    },
    body,
  )
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n`
}

function writeTier(tier: EafTier): string {
  return tag(
    'TIER',
    {
      LINGUISTIC_TYPE_REF: tier.type,
      PARENT_REF: tier.parent,
      PARTICIPANT: tier.participant,
      ANNOTATOR: tier.annotator,
      TIER_ID: tier.id,
    },
    tier.annotations.map((a) =>
      tag('ANNOTATION', {}, [
        tag(
          'ALIGNABLE_ANNOTATION',
          { ANNOTATION_ID: a.id, TIME_SLOT_REF1: a.startSlot, TIME_SLOT_REF2: a.endSlot },
          [tag('ANNOTATION_VALUE', {}, a.value)],
        ),
      ]),
    ),
  )
}

function writeVocabulary(cv: EafVocabulary): string {
  return tag('CONTROLLED_VOCABULARY', { CV_ID: cv.id }, [
    tag('DESCRIPTION', { LANG_REF: EAF_LANGUAGE.id }, cv.description),
    ...cv.entries.map((e) =>
      tag('CV_ENTRY_ML', { CVE_ID: e.id }, [
        tag('CVE_VALUE', { DESCRIPTION: e.description, LANG_REF: EAF_LANGUAGE.id }, e.value),
      ]),
    ),
  ])
}
