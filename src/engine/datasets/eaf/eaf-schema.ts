/**
 * The EAF 3.0 schema (ELAN's EAFv3.0.xsd) written as data: for each element, its attributes
 * with their XSD types and its children in the order the schema's sequence requires, plus the
 * schema's keys and key references. `checkEaf` (eaf-check.ts) applies it. Elements the
 * schema leaves to other specifications (lexicon links, reference link sets, external
 * references) are accepted as they come.
 */

/** An XSD attribute type, or the values of an enumeration. */
export type AttributeType =
  | 'string'
  | 'ID'
  | 'IDREF'
  | 'dateTime'
  | 'unsignedInt'
  | 'long'
  | 'boolean'
  | 'anyURI'
  | readonly string[]

/** One step of a content sequence: one of `names`, between `min` and `max` times. */
export interface ContentStep {
  names: readonly string[]
  min: number
  max: number
}

/** What the schema says of one element. */
export interface ElementRule {
  attributes: Record<string, { type: AttributeType; required?: true }>
  content: readonly ContentStep[]
  /** Whether the element holds text. */
  text?: true
  /** Content and attributes defined elsewhere: not checked. */
  open?: true
}

const MANY = Number.POSITIVE_INFINITY
const any = (name: string): ContentStep => ({ names: [name], min: 0, max: MANY })
const one = (...names: string[]): ContentStep => ({ names, min: 1, max: 1 })
const req = <T extends AttributeType>(type: T) => ({ type, required: true as const })
const opt = <T extends AttributeType>(type: T) => ({ type })

const ANNOTATION_ATTRIBUTES = {
  ANNOTATION_ID: req('ID'),
  EXT_REF: opt('string'),
  LANG_REF: opt('string'),
  CVE_REF: opt('string'),
} as const

/** Every element of EAF 3.0 by name. */
export const EAF_ELEMENTS: Record<string, ElementRule> = {
  ANNOTATION_DOCUMENT: {
    attributes: {
      DATE: req('dateTime'),
      AUTHOR: req('string'),
      VERSION: req('string'),
      FORMAT: opt('string'),
    },
    content: [
      any('LICENSE'),
      one('HEADER'),
      one('TIME_ORDER'),
      any('TIER'),
      any('LINGUISTIC_TYPE'),
      any('LOCALE'),
      any('LANGUAGE'),
      any('CONSTRAINT'),
      any('CONTROLLED_VOCABULARY'),
      any('LEXICON_REF'),
      any('REF_LINK_SET'),
      any('EXTERNAL_REF'),
    ],
  },
  LICENSE: { attributes: { LICENSE_URL: opt('anyURI') }, content: [], text: true },
  HEADER: {
    attributes: {
      MEDIA_FILE: opt('string'),
      TIME_UNITS: opt(['milliseconds', 'NTSC-frames', 'PAL-frames']),
    },
    content: [any('MEDIA_DESCRIPTOR'), any('LINKED_FILE_DESCRIPTOR'), any('PROPERTY')],
  },
  MEDIA_DESCRIPTOR: {
    attributes: {
      MEDIA_URL: req('anyURI'),
      RELATIVE_MEDIA_URL: opt('anyURI'),
      MIME_TYPE: req('string'),
      TIME_ORIGIN: opt('long'),
      EXTRACTED_FROM: opt('anyURI'),
    },
    content: [],
  },
  LINKED_FILE_DESCRIPTOR: {
    attributes: {
      LINK_URL: req('anyURI'),
      RELATIVE_LINK_URL: opt('anyURI'),
      MIME_TYPE: req('string'),
      TIME_ORIGIN: opt('long'),
      ASSOCIATED_WITH: opt('anyURI'),
    },
    content: [],
  },
  PROPERTY: { attributes: { NAME: opt('string') }, content: [], text: true },
  TIME_ORDER: { attributes: {}, content: [any('TIME_SLOT')] },
  TIME_SLOT: {
    attributes: { TIME_SLOT_ID: req('ID'), TIME_VALUE: opt('unsignedInt') },
    content: [],
  },
  TIER: {
    attributes: {
      TIER_ID: req('string'),
      PARTICIPANT: opt('string'),
      ANNOTATOR: opt('string'),
      LINGUISTIC_TYPE_REF: req('string'),
      DEFAULT_LOCALE: opt('string'),
      PARENT_REF: opt('string'),
      EXT_REF: opt('string'),
      LANG_REF: opt('string'),
    },
    content: [any('ANNOTATION')],
  },
  ANNOTATION: { attributes: {}, content: [one('ALIGNABLE_ANNOTATION', 'REF_ANNOTATION')] },
  ALIGNABLE_ANNOTATION: {
    attributes: {
      ...ANNOTATION_ATTRIBUTES,
      TIME_SLOT_REF1: req('IDREF'),
      TIME_SLOT_REF2: req('IDREF'),
      SVG_REF: opt('string'),
    },
    content: [one('ANNOTATION_VALUE')],
  },
  REF_ANNOTATION: {
    attributes: {
      ...ANNOTATION_ATTRIBUTES,
      ANNOTATION_REF: req('IDREF'),
      PREVIOUS_ANNOTATION: opt('IDREF'),
    },
    content: [one('ANNOTATION_VALUE')],
  },
  ANNOTATION_VALUE: { attributes: {}, content: [], text: true },
  LINGUISTIC_TYPE: {
    attributes: {
      LINGUISTIC_TYPE_ID: req('string'),
      TIME_ALIGNABLE: opt('boolean'),
      CONSTRAINTS: opt('string'),
      GRAPHIC_REFERENCES: opt('boolean'),
      CONTROLLED_VOCABULARY_REF: opt('string'),
      EXT_REF: opt('string'),
      LEXICON_REF: opt('string'),
    },
    content: [],
  },
  LOCALE: {
    attributes: {
      LANGUAGE_CODE: req('string'),
      COUNTRY_CODE: opt('string'),
      VARIANT: opt('string'),
    },
    content: [],
  },
  LANGUAGE: {
    attributes: { LANG_ID: req('string'), LANG_DEF: opt('anyURI'), LANG_LABEL: opt('string') },
    content: [],
  },
  CONSTRAINT: {
    attributes: {
      STEREOTYPE: req([
        'Time_Subdivision',
        'Symbolic_Subdivision',
        'Symbolic_Association',
        'Included_In',
      ]),
      DESCRIPTION: opt('string'),
    },
    content: [],
  },
  CONTROLLED_VOCABULARY: {
    attributes: { CV_ID: req('string'), EXT_REF: opt('string') },
    content: [any('DESCRIPTION'), any('CV_ENTRY_ML')],
  },
  DESCRIPTION: { attributes: { LANG_REF: req('string') }, content: [], text: true },
  CV_ENTRY_ML: {
    attributes: { CVE_ID: req('string'), EXT_REF: opt('string') },
    content: [{ names: ['CVE_VALUE'], min: 1, max: MANY }],
  },
  CVE_VALUE: {
    attributes: { LANG_REF: req('string'), DESCRIPTION: opt('string') },
    content: [],
    text: true,
  },
  LEXICON_REF: { attributes: {}, content: [], open: true },
  REF_LINK_SET: { attributes: {}, content: [], open: true },
  EXTERNAL_REF: { attributes: {}, content: [], open: true },
}

/**
 * The schema's keys and references: each `ref` attribute value must be the `key` attribute
 * of some `keyElement` (keys are unique among their elements).
 */
export const EAF_REFERENCES: readonly {
  element: string
  attribute: string
  keyElement: string
  key: string
}[] = [
  { element: 'TIER', attribute: 'PARENT_REF', keyElement: 'TIER', key: 'TIER_ID' },
  {
    element: 'TIER',
    attribute: 'LINGUISTIC_TYPE_REF',
    keyElement: 'LINGUISTIC_TYPE',
    key: 'LINGUISTIC_TYPE_ID',
  },
  {
    element: 'LINGUISTIC_TYPE',
    attribute: 'CONTROLLED_VOCABULARY_REF',
    keyElement: 'CONTROLLED_VOCABULARY',
    key: 'CV_ID',
  },
  {
    element: 'LINGUISTIC_TYPE',
    attribute: 'CONSTRAINTS',
    keyElement: 'CONSTRAINT',
    key: 'STEREOTYPE',
  },
  {
    element: 'ALIGNABLE_ANNOTATION',
    attribute: 'TIME_SLOT_REF1',
    keyElement: 'TIME_SLOT',
    key: 'TIME_SLOT_ID',
  },
  {
    element: 'ALIGNABLE_ANNOTATION',
    attribute: 'TIME_SLOT_REF2',
    keyElement: 'TIME_SLOT',
    key: 'TIME_SLOT_ID',
  },
  { element: 'TIER', attribute: 'LANG_REF', keyElement: 'LANGUAGE', key: 'LANG_ID' },
  { element: 'DESCRIPTION', attribute: 'LANG_REF', keyElement: 'LANGUAGE', key: 'LANG_ID' },
  { element: 'CVE_VALUE', attribute: 'LANG_REF', keyElement: 'LANGUAGE', key: 'LANG_ID' },
]
