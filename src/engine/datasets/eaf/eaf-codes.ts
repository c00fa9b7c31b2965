import { AppError } from '../../../shared/errors'
import type { ImportFlag } from '../flags'
import type { PlannedCodes } from '../import/import-plan'
import { readLabels, type CoderKind } from '../sheets/coded-sheet'
import { APEX_VALUES, CLIP_PROPERTY } from './clip-eaf'
import type { EafAnnotation, EafDocument, EafTier } from './eaf-document'
import { intervalFrames, snapToFrame, type SnappedTime } from './eaf-time'

/** What turning one document's tiers into codes needs to know. */
export interface EafCodesRequest {
  doc: EafDocument
  file: string
  /** 'subject/clip' for flags. */
  clip: string
  /** The clip's first frame (time 0) and frame rate. */
  first: number
  fps: number
  /** Tier id → coder name; without it every independent tier is a coder named after it. */
  tierCoders?: Readonly<Record<string, string>>
}

/** An annotation with its times read from the time slots. */
interface TimedAnnotation extends EafAnnotation {
  begin: number
  end: number
}

const CODER_KINDS: readonly string[] = ['human', 'import', 'adjudicated']

/**
 * The codes of one document: each coder tier (independent, time-aligned, mapped) gives one
 * coder's onset–offset and labels from its annotation, the time-aligned tier depending on it
 * gives the apex. Tiers left out, extra annotations, unreadable AU tokens and times between
 * frames are flagged; overlapping annotations on one tier and annotations on unaligned time
 * slots are `invalid_file` errors.
 */
export function eafCodes(request: EafCodesRequest, flags: ImportFlag[]): PlannedCodes[] {
  const { doc, file, clip } = request
  const flag = (code: ImportFlag['code'], message: string) =>
    flags.push({ file, clip, code, message })
  const alignable = new Set(doc.linguisticTypes.filter((t) => t.timeAlignable).map((t) => t.id))
  const coderTiers = new Map<string, string>()
  for (const tier of doc.tiers.filter((t) => t.parent === undefined)) {
    const coder = request.tierCoders ? request.tierCoders[tier.id] : tier.id
    if (coder === undefined) {
      flag('tier_not_mapped', `Tier '${tier.id}' is mapped to no coder; not read`)
    } else coderTiers.set(tier.id, coder)
  }
  const codes: PlannedCodes[] = []
  for (const [tierId, coder] of coderTiers) {
    const tier = doc.tiers.find((t) => t.id === tierId)!
    const apexTiers = doc.tiers.filter((t) => t.parent === tierId && alignable.has(t.type))
    for (const extra of apexTiers.slice(1)) {
      flag('tier_not_mapped', `Tier '${extra.id}' is a second apex tier of '${tierId}'; not read`)
    }
    const planned = tierCodes(request, tier, apexTiers[0], coder, flag)
    if (planned) codes.push(planned)
  }
  for (const tier of doc.tiers) {
    const parent = tier.parent
    if (parent === undefined) continue
    if (!coderTiers.has(parent)) {
      flag('tier_not_mapped', `Tier '${tier.id}' is under '${parent}', which is not read; not read`)
    } else if (!alignable.has(tier.type)) {
      flag(
        'tier_not_mapped',
        `Tier '${tier.id}' (under '${parent}') is not time-aligned, so no apex tier; not read`,
      )
    }
  }
  return codes
}

function tierCodes(
  request: EafCodesRequest,
  tier: EafTier,
  apexTier: EafTier | undefined,
  coder: string,
  flag: (code: ImportFlag['code'], message: string) => void,
): PlannedCodes | null {
  const annotations = timed(request, tier)
  if (annotations.length === 0) return null
  const [first, ...extra] = annotations
  if (extra.length > 0) {
    flag(
      'extra_annotation',
      `Tier '${tier.id}' holds ${annotations.length} annotations; a clip keeps one onset–offset per coder: ${describe(first)} is read, ${extra.map(describe).join(', ')} not`,
    )
  }
  const { onset, offset } = intervalFrames(first.begin, first.end, request.first, request.fps)
  checkOnFrame(flag, tier.id, first, 'begins', onset)
  checkOnFrame(flag, tier.id, first, 'ends', offset)
  const labels = readLabels(first.value, (code, message) =>
    flag(code, `Tier '${tier.id}', annotation ${first.id}: ${message}`),
  )
  const apex = apexTier ? apexOf(request, apexTier, first, flag) : null
  const kind = request.doc.properties.find((p) => p.name === CLIP_PROPERTY.coderKind + tier.id)
  return {
    coder,
    coderKind: kind && CODER_KINDS.includes(kind.value) ? (kind.value as CoderKind) : null,
    onset: onset.frame,
    apex: apex?.frame ?? null,
    offset: offset.frame,
    apexEstimated: apex?.estimated ?? false,
    labels: labels.map(({ au, side, intensity }) => ({ au, side, intensity })),
    file: request.file,
  }
}

/**
 * The apex: the first apex annotation starting inside the interval, else (an apex the coder put
 * outside onset–offset) the tier's first; when the tier holds more than one, the others are
 * flagged.
 */
function apexOf(
  request: EafCodesRequest,
  tier: EafTier,
  interval: TimedAnnotation,
  flag: (code: ImportFlag['code'], message: string) => void,
): { frame: number; estimated: boolean } | null {
  const all = timed(request, tier)
  const inside = all.filter((a) => a.begin >= interval.begin && a.begin < interval.end)
  const chosen = inside[0] ?? all[0]
  if (chosen === undefined) return null
  if (all.length > 1) {
    flag(
      'extra_annotation',
      `Tier '${tier.id}' holds ${all.length} apexes; ${describe(chosen)} is read`,
    )
  }
  const snapped = snapToFrame(chosen.begin, request.first, request.fps)
  checkOnFrame(flag, tier.id, chosen, 'begins', snapped)
  return { frame: snapped.frame, estimated: chosen.value.trim() === APEX_VALUES.estimated }
}

/** A tier's annotations with their times, sorted; overlaps and unaligned slots are errors. */
function timed(request: EafCodesRequest, tier: EafTier): TimedAnnotation[] {
  const slots = new Map(request.doc.timeSlots.map((s) => [s.id, s.ms]))
  const list = tier.annotations.map((a): TimedAnnotation => {
    const begin = slots.get(a.startSlot)
    const end = slots.get(a.endSlot)
    if (
      begin === undefined ||
      begin === null ||
      end === undefined ||
      end === null ||
      end <= begin
    ) {
      throw new AppError(
        'invalid_file',
        `${request.file}: annotation ${a.id} on tier '${tier.id}' has no time span (time slots ${a.startSlot}–${a.endSlot} give ${begin ?? 'none'}–${end ?? 'none'} ms)`,
        { file: request.file, tier: tier.id, annotation: a.id },
      )
    }
    return { ...a, begin, end }
  })
  list.sort((a, b) => a.begin - b.begin || a.end - b.end)
  for (let i = 1; i < list.length; i++) {
    if (list[i].begin < list[i - 1].end) {
      throw new AppError(
        'invalid_file',
        `${request.file}: tier '${tier.id}' has overlapping annotations ${describe(list[i - 1])} and ${describe(list[i])}`,
        { file: request.file, tier: tier.id, annotations: [list[i - 1].id, list[i].id] },
      )
    }
  }
  return list
}

function describe(a: TimedAnnotation): string {
  return `${a.id} (${a.begin}–${a.end} ms)`
}

function checkOnFrame(
  flag: (code: ImportFlag['code'], message: string) => void,
  tierId: string,
  a: TimedAnnotation,
  which: 'begins' | 'ends',
  snapped: SnappedTime,
): void {
  if (snapped.onFrame) return
  const ms = which === 'begins' ? a.begin : a.end
  const frame = which === 'begins' ? snapped.frame : `the end of frame ${snapped.frame}`
  flag(
    'time_between_frames',
    `Tier '${tierId}', annotation ${a.id} ${which} at ${ms} ms, between frames; taken as ${typeof frame === 'number' ? `frame ${frame}` : frame}`,
  )
}
