import type { AuSide } from '../../../shared/facs'
import type { SyntheticAu } from './au-motion'
import { Rng } from './prng'

/** CASME II's emotion classes. */
export const EMOTIONS = [
  'happiness',
  'disgust',
  'surprise',
  'repression',
  'fear',
  'sadness',
  'others',
] as const

/** One emotion class. */
export type Emotion = (typeof EMOTIONS)[number]

/** The AUs of the IICL protocol on CASME II; each must get enough positives. */
export const MAIN_AUS = [1, 2, 4, 7, 12, 14, 15, 17] as const satisfies readonly SyntheticAu[]

// How often each emotion shows in a spontaneous set, and P(AU | emotion): the co-occurrence
// patterns of the ME literature (1+2 surprise, 4+7 disgust, 6+12 happiness, 14/15/17
// repression, 1+4+15 sadness).
const EMOTION_RATE: Record<Emotion, number> = {
  happiness: 0.16,
  disgust: 0.2,
  surprise: 0.12,
  repression: 0.12,
  fear: 0.06,
  sadness: 0.08,
  others: 0.26,
}

const AU_GIVEN_EMOTION: Record<Emotion, Partial<Record<SyntheticAu, number>>> = {
  happiness: { 12: 0.85, 6: 0.45, 1: 0.1, 2: 0.1, 7: 0.15, 14: 0.1, 25: 0.15 },
  disgust: { 4: 0.8, 7: 0.5, 9: 0.35, 10: 0.35, 14: 0.1, 15: 0.15, 17: 0.15 },
  surprise: { 1: 0.85, 2: 0.8, 25: 0.35, 4: 0.05 },
  repression: { 14: 0.6, 15: 0.45, 17: 0.55, 12: 0.2 },
  fear: { 1: 0.5, 2: 0.3, 4: 0.55, 7: 0.3, 25: 0.2 },
  sadness: { 1: 0.55, 4: 0.6, 7: 0.2, 15: 0.55, 17: 0.45 },
  others: { 4: 0.45, 7: 0.3, 14: 0.25, 17: 0.2, 12: 0.15, 1: 0.15, 2: 0.12, 15: 0.15 },
}

// AUs coders sometimes mark as one-sided (CASME II writes R12, L10).
const SIDED_AUS: readonly SyntheticAu[] = [10, 12, 14]

/** One AU of a planned clip: side (null for both) and strength (1 = about a pixel at 160 px). */
export interface PlannedAu {
  au: SyntheticAu
  side: AuSide | null
  strength: number
}

/** The plan of one clip: what moves and when (frame indexes within the clip). */
export interface SyntheticClipPlan {
  subjectIndex: number
  clipIndex: number
  emotion: Emotion
  aus: PlannedAu[]
  frameCount: number
  onsetIndex: number
  apexIndex: number
  offsetIndex: number
  /** Absolute number of the clip's first frame (never 1, as in the real releases). */
  firstFrame: number
}

/**
 * Plans every clip: each subject has its own emotion mix and AU propensities (so base
 * rates differ by subject), AUs are drawn per clip from the emotion, and a final pass makes
 * sure each main AU has at least min(15, 20% of the clips) positives.
 */
export function planSyntheticClips(
  seed: number,
  clipCounts: readonly number[],
  fps: number,
): SyntheticClipPlan[][] {
  const plans = clipCounts.map((count, s) => {
    const rng = Rng.from(seed, 'profile', s)
    const emotionWeights = EMOTIONS.map((e) => EMOTION_RATE[e] * rng.range(0.4, 1.8))
    const propensity = new Map<SyntheticAu, number>()
    for (const au of [1, 2, 4, 6, 7, 9, 10, 12, 14, 15, 17, 25] as const)
      propensity.set(au, rng.range(0.6, 1.4))
    return Array.from({ length: count }, (_, c) =>
      planClip(Rng.from(seed, 'clip', s, c), s, c, fps, emotionWeights, propensity),
    )
  })
  ensurePositives(plans.flat(), Rng.from(seed, 'repair'))
  return plans
}

function planClip(
  rng: Rng,
  subjectIndex: number,
  clipIndex: number,
  fps: number,
  emotionWeights: number[],
  propensity: Map<SyntheticAu, number>,
): SyntheticClipPlan {
  const emotion = weightedPick(rng, EMOTIONS, emotionWeights)
  const aus: PlannedAu[] = []
  const add = (au: SyntheticAu) => {
    if (aus.some((a) => a.au === au)) return
    const side = SIDED_AUS.includes(au) && rng.chance(0.12) ? rng.pick(['L', 'R'] as const) : null
    aus.push({ au, side, strength: rng.range(0.8, 1.3) })
  }
  for (const [au, p] of Object.entries(AU_GIVEN_EMOTION[emotion])) {
    const n = Number(au) as SyntheticAu
    if (rng.chance(Math.min(0.95, p * (propensity.get(n) ?? 1)))) add(n)
  }
  // AU2 seldom shows without AU1
  if (aus.some((a) => a.au === 2) && rng.chance(0.75)) add(1)
  if (aus.length === 0) add(strongestAu(emotion))
  aus.sort((a, b) => a.au - b.au)
  // a micro-expression: 150–300 ms of frames, onset a few frames in, apex 30–55% of the way
  const frameCount = Math.max(12, Math.round(rng.range(0.15, 0.3) * fps))
  const onsetIndex = rng.int(1, Math.max(1, Math.round(frameCount * 0.12)))
  const offsetIndex = frameCount - 1 - rng.int(1, Math.max(1, Math.round(frameCount * 0.12)))
  const apexIndex =
    onsetIndex + Math.max(1, Math.round((offsetIndex - onsetIndex) * rng.range(0.3, 0.55)))
  return {
    subjectIndex,
    clipIndex,
    emotion,
    aus,
    frameCount,
    onsetIndex,
    apexIndex,
    offsetIndex,
    firstFrame: rng.int(20, 3000),
  }
}

function strongestAu(emotion: Emotion): SyntheticAu {
  const entries = Object.entries(AU_GIVEN_EMOTION[emotion]).sort((a, b) => b[1] - a[1])
  return Number(entries[0][0]) as SyntheticAu
}

function weightedPick<T>(rng: Rng, items: readonly T[], weights: readonly number[]): T {
  const total = weights.reduce((a, b) => a + b, 0)
  let x = rng.next() * total
  for (let i = 0; i < items.length; i++) {
    x -= weights[i]
    if (x < 0) return items[i]
  }
  return items[items.length - 1]
}

/** Adds main AUs to the clips whose emotion fits them best until each has enough positives. */
function ensurePositives(clips: SyntheticClipPlan[], rng: Rng): void {
  const target = Math.min(15, Math.ceil(clips.length * 0.2))
  for (const au of MAIN_AUS) {
    let count = clips.filter((c) => c.aus.some((a) => a.au === au)).length
    if (count >= target) continue
    const candidates = rng
      .shuffle(clips.filter((c) => !c.aus.some((a) => a.au === au)))
      .sort(
        (a, b) => (AU_GIVEN_EMOTION[b.emotion][au] ?? 0) - (AU_GIVEN_EMOTION[a.emotion][au] ?? 0),
      )
    for (const clip of candidates) {
      if (count >= target) break
      clip.aus.push({ au, side: null, strength: rng.range(0.8, 1.3) })
      clip.aus.sort((a, b) => a.au - b.au)
      count++
    }
  }
}
