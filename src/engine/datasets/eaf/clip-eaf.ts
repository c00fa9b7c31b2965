import { auInfo, formatAuCell } from '../../../shared/facs'
import type { ExportClip, ExportCodes } from '../export/coded-rows'
import type { EafDocument, EafMedia, EafTier, EafVocabulary } from './eaf-document'
import { intervalMs, timeZeroFrame } from './eaf-time'

/** The linguistic type of a coder's onset–offset tier. */
export const INTERVAL_TYPE = 'AU interval'
/** The linguistic type of a coder's apex tier (inside the interval, from the apex vocabulary). */
export const APEX_TYPE = 'apex'
/** The values an apex annotation takes: a coded apex, or one the app estimated. */
export const APEX_VALUES = { coded: 'apex', estimated: 'estimated apex' } as const
/** Header properties naming the clip in the library, so an import puts codes back in place. */
export const CLIP_PROPERTY = {
  dataset: 'microau:dataset',
  subject: 'microau:subject',
  clip: 'microau:clip',
  fps: 'microau:fps',
  firstFrame: 'microau:first-frame',
  frameCount: 'microau:frame-count',
  emotion: 'microau:emotion',
  /** Followed by the tier id: the kind of coder behind that tier. */
  coderKind: 'microau:coder-kind:',
} as const

/** Codes of a coder that an .eaf cannot carry, and why. */
export interface SkippedCodes {
  clip: string
  coder: string
  reason: string
}

/** Everything a clip's document needs besides the clip. */
export interface ClipEafContext {
  dataset: string
  /** The media link, or none when the clip's source is gone. */
  media: EafMedia | null
  /** The dataset's AU vocabulary (`auVocabulary`). */
  vocabulary: EafVocabulary
  /** xsd:dateTime of the export. */
  date: string
}

/**
 * The .eaf document of one clip: per coder a tier of one onset–offset annotation whose value
 * is the FACS string ('4E+R14B'), and a dependent 'apex' tier holding the apex frame; times by
 * the rule of eaf-time.ts. Codes without onset or offset are skipped (listed in `skipped`).
 */
export function clipEafDocument(
  clip: ExportClip,
  context: ClipEafContext,
  skipped: SkippedCodes[],
): EafDocument {
  const doc: EafDocument = {
    author: 'MicroAU Studio',
    date: context.date,
    media: context.media ? [context.media] : [],
    properties: clipProperties(clip, context.dataset),
    timeSlots: [],
    tiers: [],
    linguisticTypes: [
      { id: INTERVAL_TYPE, timeAlignable: true },
      { id: APEX_TYPE, timeAlignable: true, constraint: 'Included_In', vocabulary: APEX_CV.id },
    ],
    vocabularies: [context.vocabulary, APEX_CV],
  }
  for (const codes of clip.codes) {
    if (codes.onset === null || codes.offset === null) {
      skipped.push({
        clip: `${clip.subject}/${clip.name}`,
        coder: codes.coder,
        reason: 'no onset or offset marked',
      })
      continue
    }
    addCoderTiers(doc, clip, codes, codes.onset, codes.offset)
  }
  doc.properties.push({ name: 'lastUsedAnnotationId', value: String(annotationCount(doc)) })
  return doc
}

function clipProperties(clip: ExportClip, dataset: string): EafDocument['properties'] {
  const p = CLIP_PROPERTY
  const properties: EafDocument['properties'] = [
    { name: p.dataset, value: dataset },
    { name: p.subject, value: clip.subject },
    { name: p.clip, value: clip.name },
    { name: p.fps, value: String(clip.fps) },
    { name: p.firstFrame, value: String(clip.firstFrame) },
    { name: p.frameCount, value: String(clip.frameCount) },
  ]
  if (clip.emotion !== null) properties.push({ name: p.emotion, value: clip.emotion })
  // One per coder tier written (coders without onset and offset get none).
  for (const codes of clip.codes.filter((c) => c.onset !== null && c.offset !== null)) {
    properties.push({ name: p.coderKind + codes.coder, value: codes.coderKind })
  }
  return properties
}

function addCoderTiers(
  doc: EafDocument,
  clip: ExportClip,
  codes: ExportCodes,
  onset: number,
  offset: number,
): void {
  const tier: EafTier = {
    id: codes.coder,
    participant: clip.subject,
    annotator: codes.coder,
    type: INTERVAL_TYPE,
    annotations: [],
  }
  doc.tiers.push(tier)
  const zero = timeZeroFrame(clip)
  const span = intervalMs(onset, offset, zero, clip.fps)
  tier.annotations.push(annotation(doc, span.begin, span.end, formatAuCell(codes.labels)))
  if (codes.apex === null) return
  const apex = intervalMs(codes.apex, codes.apex, zero, clip.fps)
  const value = codes.apexEstimated ? APEX_VALUES.estimated : APEX_VALUES.coded
  doc.tiers.push({
    id: `${codes.coder} apex`,
    participant: clip.subject,
    annotator: codes.coder,
    type: APEX_TYPE,
    parent: codes.coder,
    annotations: [annotation(doc, apex.begin, apex.end, value)],
  })
}

function annotation(doc: EafDocument, begin: number, end: number, value: string) {
  const start = { id: `ts${doc.timeSlots.length + 1}`, ms: begin }
  const stop = { id: `ts${doc.timeSlots.length + 2}`, ms: end }
  doc.timeSlots.push(start, stop)
  return { id: `a${annotationCount(doc) + 1}`, startSlot: start.id, endSlot: stop.id, value }
}

function annotationCount(doc: EafDocument): number {
  return doc.tiers.reduce((n, t) => n + t.annotations.length, 0)
}

/** The apex tier's vocabulary. */
export const APEX_CV: EafVocabulary = {
  id: 'Apex',
  description: 'The apex frame: coded by the coder, or estimated by the app from the motion',
  entries: [
    { id: 'apex', value: APEX_VALUES.coded, description: 'Apex frame as coded' },
    { id: 'apex-estimated', value: APEX_VALUES.estimated, description: 'Apex frame estimated' },
  ],
}

/**
 * The dataset's AU vocabulary: one entry per AU number its labels use, with the FACS name.
 * The interval tiers' values combine them ('R12+14B'), so no tier type is bound to it; it
 * documents the codes in ELAN's vocabulary editor.
 */
export function auVocabulary(aus: readonly number[]): EafVocabulary {
  return {
    id: 'FACS Action Units',
    description:
      'The Action Units coded in this dataset; tiers combine them as side + number + intensity, joined by +',
    entries: [...new Set(aus)]
      .sort((a, b) => a - b)
      .map((au) => ({
        id: `au${au}`,
        value: String(au),
        description: `AU${au} ${auInfo(au)?.name ?? ''}`.trim(),
      })),
  }
}
