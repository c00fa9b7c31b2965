import { agreementRatio } from './agreement'
import {
  auLabelAgreement,
  fewClipsWarning,
  type AuComparison,
  type AuLabelAgreement,
  type AuMark,
} from './au-labels'
import { binaryFleissKappa, pairKappa } from './kappa'
import { intervalIoU, meanAbsoluteDifference, type FrameMarkers, type TimingDelta } from './timing'

/** One coder's codes on one clip as reliability reads them. */
export interface CodedClip {
  coderId: number
  /** AU numbers the coder scored (the AU-level measures read only these). */
  aus: readonly number[]
  /**
   * The labels with side and intensity, for side and intensity agreement; without them every
   * AU of `aus` counts as scored on both sides with no intensity.
   */
  labels?: readonly AuMark[]
  markers: FrameMarkers
}

/** A clip with the codes of the coders who coded it. */
export interface ReliabilityClip {
  clipId: number
  /** 'subject/clip', for tables and CSV. */
  label: string
  fps: number
  codes: readonly CodedClip[]
}

/** Agreement of one pair of coders over the clips both coded. */
export interface PairReliability {
  coderA: number
  coderB: number
  /** Clips both coded. */
  clips: number
  /** Mean of the per-clip FACS agreement ratios. */
  agreementRatio: number | null
  /** Cohen's kappa over every (clip, AU) decision of those clips. */
  cohenKappa: number | null
  onset: TimingDelta | null
  apex: TimingDelta | null
  offset: TimingDelta | null
  /** Mean onset–offset IoU. */
  iou: number | null
}

/** Agreement on one AU across clips: every count and measure over the same shared clips. */
export interface AuReliability extends Omit<AuLabelAgreement, 'bothScored'> {
  au: number
  /** Clips coded by at least two of the coders (the shared clips). */
  clips: number
  /** How many of the shared clips each coder (in the report's coder order) scored it on. */
  scoredBy: number[]
  /** Clips both coders of a pair scored the AU on, summed over pairs. */
  bothScored: number
  /** Which measures rest on too few clips (fewClipsWarning), or null. */
  warning: string | null
  /** Mean over pairs of 2·(clips both scored it) / (clips each scored it). */
  agreementRatio: number | null
  /** Mean over pairs of Cohen's kappa over the clips the pair coded. */
  cohenKappa: number | null
  /** Fleiss' kappa over the clips every coder coded (three or more coders). */
  fleissKappa: number | null
}

/** Agreement on one clip among the coders who coded it. */
export interface ClipReliabilityRow {
  clipId: number
  label: string
  /** The report's coders who coded this clip. */
  coderIds: number[]
  agreementRatio: number | null
  /** Mean over pairs of Cohen's kappa over the AU universe. */
  cohenKappa: number | null
  /** Fleiss' kappa over the AU universe (three or more coders). */
  fleissKappa: number | null
  onset: TimingDelta | null
  apex: TimingDelta | null
  offset: TimingDelta | null
  iou: number | null
}

/** Everything the reliability view shows: a summary, per pair, per AU and per clip. */
export interface ReliabilityReport {
  coderIds: number[]
  /** The AUs every kappa decides on: yes or no for each, per clip. */
  universe: number[]
  summary: {
    /** Clips coded by at least two of the coders. */
    clips: number
    agreementRatio: number | null
    /** Mean over pairs of their Cohen's kappa. */
    cohenKappa: number | null
    /** Over the (clip, AU) decisions of clips every coder coded (three or more coders). */
    fleissKappa: number | null
    onset: TimingDelta | null
    apex: TimingDelta | null
    offset: TimingDelta | null
    iou: number | null
  }
  pairs: PairReliability[]
  perAu: AuReliability[]
  perClip: ClipReliabilityRow[]
}

/**
 * Computes the reliability of `coderIds` on `clips`. Kappas decide, for each clip, yes or no
 * on every AU of `universe` (widened by any AU a coder scored); a clip counts for a pair when
 * both coders coded it, and for Fleiss' kappa when every coder did.
 */
export function reliabilityReport(
  clips: readonly ReliabilityClip[],
  coderIds: readonly number[],
  universe: readonly number[],
): ReliabilityReport {
  const coders = [...coderIds]
  const chosen = new Set(coders)
  const aus = [
    ...new Set([...universe, ...clips.flatMap((c) => c.codes.flatMap((k) => k.aus))]),
  ].sort((a, b) => a - b)
  const codedClips = clips.map((clip) => ({
    ...clip,
    codes: clip.codes.filter((c) => chosen.has(c.coderId)),
  }))
  const pairs = coderPairs(coders)
  const perClip = codedClips
    .filter((clip) => clip.codes.length >= 2)
    .map((clip) => clipRow(clip, aus))
  const pairStats = pairs.map(([a, b]) => pairRow(codedClips, a, b, aus))
  const byAll = codedClips.filter(
    (clip) => coders.length >= 3 && clip.codes.length === coders.length,
  )
  return {
    coderIds: coders,
    universe: aus,
    summary: {
      clips: perClip.length,
      agreementRatio: mean(perClip.map((c) => c.agreementRatio)),
      cohenKappa: mean(pairStats.map((p) => p.cohenKappa)),
      fleissKappa:
        byAll.length === 0
          ? null
          : binaryFleissKappa(
              coders.map((id) => byAll.flatMap((clip) => decisions(codeOf(clip, id), aus))),
            ),
      onset: meanDelta(perClip.map((c) => c.onset)),
      apex: meanDelta(perClip.map((c) => c.apex)),
      offset: meanDelta(perClip.map((c) => c.offset)),
      iou: mean(perClip.map((c) => c.iou)),
    },
    pairs: pairStats,
    perAu: aus.map((au) => auRow(codedClips, coders, pairs, au)),
    perClip,
  }
}

function clipRow(clip: ReliabilityClip, aus: readonly number[]): ClipReliabilityRow {
  const pairs = coderPairs(clip.codes.map((c) => c.coderId)).map(([a, b]) => [
    codeOf(clip, a),
    codeOf(clip, b),
  ])
  const timing = (which: keyof FrameMarkers) =>
    meanAbsoluteDifference(
      pairs.map(([a, b]) => ({ a: a.markers[which], b: b.markers[which], fps: clip.fps })),
    )
  return {
    clipId: clip.clipId,
    label: clip.label,
    coderIds: clip.codes.map((c) => c.coderId),
    agreementRatio: mean(pairs.map(([a, b]) => agreementRatio(a.aus, b.aus))),
    cohenKappa:
      aus.length === 0
        ? null
        : mean(pairs.map(([a, b]) => pairKappa(decisions(a, aus), decisions(b, aus)))),
    fleissKappa:
      clip.codes.length >= 3 && aus.length > 0
        ? binaryFleissKappa(clip.codes.map((c) => decisions(c, aus)))
        : null,
    onset: timing('onset'),
    apex: timing('apex'),
    offset: timing('offset'),
    iou: mean(pairs.map(([a, b]) => intervalIoU(a.markers, b.markers))),
  }
}

function pairRow(
  clips: readonly ReliabilityClip[],
  coderA: number,
  coderB: number,
  aus: readonly number[],
): PairReliability {
  const both = clips.flatMap((clip) => {
    const a = clip.codes.find((c) => c.coderId === coderA)
    const b = clip.codes.find((c) => c.coderId === coderB)
    return a && b ? [{ a, b, fps: clip.fps }] : []
  })
  const timing = (which: keyof FrameMarkers) =>
    meanAbsoluteDifference(
      both.map(({ a, b, fps }) => ({ a: a.markers[which], b: b.markers[which], fps })),
    )
  return {
    coderA,
    coderB,
    clips: both.length,
    agreementRatio: mean(both.map(({ a, b }) => agreementRatio(a.aus, b.aus))),
    cohenKappa:
      both.length === 0 || aus.length === 0
        ? null
        : pairKappa(
            both.flatMap(({ a }) => decisions(a, aus)),
            both.flatMap(({ b }) => decisions(b, aus)),
          ),
    onset: timing('onset'),
    apex: timing('apex'),
    offset: timing('offset'),
    iou: mean(both.map(({ a, b }) => intervalIoU(a.markers, b.markers))),
  }
}

function auRow(
  clips: readonly ReliabilityClip[],
  coders: readonly number[],
  pairs: readonly [number, number][],
  au: number,
): AuReliability {
  const scored = (clip: ReliabilityClip, coderId: number) =>
    clip.codes.find((c) => c.coderId === coderId)?.aus.includes(au) ?? false
  const shared = clips.filter((clip) => clip.codes.length >= 2)
  const perPair = pairs.map(([a, b]) => {
    const both = clips.filter((clip) => hasCode(clip, a) && hasCode(clip, b))
    return {
      labels: auLabelAgreement(both.map((clip) => comparison(clip, a, b, au))),
      ratio: agreementRatio(
        both.filter((clip) => scored(clip, a)).map((clip) => clip.clipId),
        both.filter((clip) => scored(clip, b)).map((clip) => clip.clipId),
      ),
      kappa:
        both.length === 0
          ? null
          : pairKappa(
              both.map((clip) => (scored(clip, a) ? 1 : 0)),
              both.map((clip) => (scored(clip, b) ? 1 : 0)),
            ),
    }
  })
  const byAll = clips.filter((clip) => coders.every((id) => hasCode(clip, id)))
  const bothScored = perPair.reduce((n, p) => n + p.labels.bothScored, 0)
  return {
    au,
    clips: shared.length,
    scoredBy: coders.map((id) => shared.filter((clip) => scored(clip, id)).length),
    agreementRatio: mean(perPair.map((p) => p.ratio)),
    withSide: mean(perPair.map((p) => p.labels.withSide)),
    withSideAndIntensity: mean(perPair.map((p) => p.labels.withSideAndIntensity)),
    side: mean(perPair.map((p) => p.labels.side)),
    intensity: mean(perPair.map((p) => p.labels.intensity)),
    bothScored,
    warning: fewClipsWarning(shared.length, bothScored),
    cohenKappa: mean(perPair.map((p) => p.kappa)),
    fleissKappa:
      coders.length >= 3 && byAll.length > 0
        ? binaryFleissKappa(coders.map((id) => byAll.map((clip) => (scored(clip, id) ? 1 : 0))))
        : null,
  }
}

/** Two coders' labels of one AU on a clip both coded. */
function comparison(clip: ReliabilityClip, a: number, b: number, au: number): AuComparison {
  return { a: marksOf(codeOf(clip, a), au), b: marksOf(codeOf(clip, b), au) }
}

/** A coder's labels of one AU on a clip (from `aus` alone: both sides, no intensity). */
function marksOf(code: CodedClip, au: number): AuMark[] {
  if (code.labels) return code.labels.filter((l) => l.au === au)
  return code.aus.includes(au) ? [{ au, side: null, intensity: null }] : []
}

/** Every unordered pair, in the given order: (1, 2), (1, 3), (2, 3). */
function coderPairs(ids: readonly number[]): [number, number][] {
  return ids.flatMap((a, i) => ids.slice(i + 1).map((b): [number, number] => [a, b]))
}

function hasCode(clip: ReliabilityClip, coderId: number): boolean {
  return clip.codes.some((c) => c.coderId === coderId)
}

function codeOf(clip: ReliabilityClip, coderId: number): CodedClip {
  const code = clip.codes.find((c) => c.coderId === coderId)
  if (!code) throw new RangeError(`coder ${coderId} did not code clip ${clip.clipId}`)
  return code
}

/** 1 for every AU of the universe the coder scored, else 0. */
function decisions(code: CodedClip, aus: readonly number[]): number[] {
  const scored = new Set(code.aus)
  return aus.map((au) => (scored.has(au) ? 1 : 0))
}

function mean(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null)
  return known.length === 0 ? null : known.reduce((s, v) => s + v, 0) / known.length
}

function meanDelta(values: readonly (TimingDelta | null)[]): TimingDelta | null {
  const known = values.filter((v): v is TimingDelta => v !== null)
  if (known.length === 0) return null
  return {
    frames: known.reduce((s, v) => s + v.frames, 0) / known.length,
    ms: known.reduce((s, v) => s + v.ms, 0) / known.length,
  }
}
