import { framesPerClip, PRESET_FACTS, type PresetName } from './presets'
import { formatDuration } from '../lib/format'

/**
 * A rough estimate of how long a training or ablation run takes, from costs measured on
 * the development machine (Intel Xeon, 2 cores, Node 20; see BENCHMARKS.md). It is shown
 * as an estimate: other machines, other load and the clips a run leaves out change it.
 *
 * Definition. A training step of n clips feeds k·n images (k frames per clip: apex and
 * close-to-apex, + onset for the variants that use it) and costs
 *   step ms = STEP_MS[preset] + IMAGE_MS[preset] × k·n        (on wasm; × backend factor)
 * Per variant, each of the F fold models trains on the other folds' clips,
 * c·(F − 1)/F of the c clips, in ⌈c·(F − 1)/F / batch⌉ steps per epoch; the final model (a
 * training run, not an ablation) on all c clips in ⌈c / batch⌉ steps per epoch. Testing is
 * one forward pass on each clip's apex, about a third of a training image. Once per run:
 *   preparation ms = Σ over clips of width × height × frames × PREP_MS_PER_PIXEL_FRAME
 * (magnifying each whole clip; clips magnified by an earlier run are cached, so this part
 * is an upper bound), plus JOB_STARTUP_MS for the worker process and its backend.
 */

/** Cost of a training step on wasm: a fixed part per step and a part per image. */
export interface StepCost {
  stepMs: number
  imageMs: number
}

/**
 * Step costs on wasm, from the fastest of 5–7 IICL steps (trainStep on a warmed-up model,
 * as bench/training.bench.ts times it), development machine, 2026-11-28:
 * - tiny (32×32): 55 ms for 6 images, 77 ms for 24 → 1.2 ms per image + 48 ms per step;
 * - laptop (96×96): 317 ms for 24 images, 514 ms for 48 (BENCHMARKS.md "Training
 *   throughput") → 8.2 ms per image + 120 ms per step;
 * - paper: not measured on this machine (null: no estimate is given).
 */
export const WASM_STEP_COST: Record<PresetName, StepCost | null> = {
  tiny: { stepMs: 48, imageMs: 1.2 },
  laptop: { stepMs: 120, imageMs: 8.2 },
  paper: null,
  face: null,
}

/**
 * How much slower (> 1) or faster (< 1) than wasm a backend trains. cpu: BENCHMARKS.md
 * "Training throughput", 17456 ms vs 514 ms per step. The TensorFlow backends were not
 * measured here (null): the wasm figure is used and the estimate says so.
 */
export const BACKEND_FACTOR: Record<string, number | null> = {
  wasm: 1,
  cpu: 17456 / 514,
  tensorflow: null,
  'tensorflow-gpu': null,
}

/**
 * Milliseconds to prepare one pixel of one frame: BENCHMARKS.md "Training benchmark",
 * 22.8 s to magnify 96 synthetic clips of 128×128 with about 45 frames each (the generator
 * draws 150–300 ms at 200 fps).
 */
export const PREP_MS_PER_PIXEL_FRAME = 22_800 / (96 * 45 * 128 * 128)

/**
 * Starting a job's worker: a fresh Node process with tsx that loads and initialises the
 * wasm backend took 2.4–2.8 s wall on the development machine (2026-11-28).
 */
export const JOB_STARTUP_MS = 2500

/** Clip count and Σ width × height × frames of a dataset (or of several together). */
export interface ClipVolume {
  clips: number
  pixelFrames: number
}

/**
 * The volume of the chosen datasets pooled: the sums of their clips and pixel-frames, or null
 * while one of them has not been read (or none is chosen).
 */
export function pooledVolume(
  datasetIds: readonly number[],
  volumes: Readonly<Record<number, ClipVolume>>,
): ClipVolume | null {
  if (datasetIds.length === 0 || datasetIds.some((id) => volumes[id] === undefined)) return null
  return datasetIds.reduce(
    (sum, id) => ({
      clips: sum.clips + volumes[id].clips,
      pixelFrames: sum.pixelFrames + volumes[id].pixelFrames,
    }),
    { clips: 0, pixelFrames: 0 },
  )
}

/** What the estimate is made from. */
export interface EstimateInput {
  preset: PresetName
  /** One variant for a training run, several for an ablation. */
  variants: readonly string[]
  /** Clips of the chosen datasets together. */
  clips: number
  /** Σ width × height × frames over the clips. */
  pixelFrames: number
  folds: number
  /** Epochs per model; the preset's when absent. */
  epochs?: number
  /** Clips per step; the preset's when absent. */
  batchSize?: number
  /** A training run adds a final model on all clips; an ablation does not. */
  finalModel: boolean
  /** The backend that will run it (wasm, cpu, tensorflow, tensorflow-gpu). */
  backend: string
}

/** The estimate, in parts, with what it could not account for. */
export interface TimeEstimate {
  /** null when the preset's cost was not measured. */
  totalMs: number | null
  /** Worker start and preparation. */
  prepMs: number
  trainMs: number | null
  testMs: number | null
  trainingSteps: number
  trainingImages: number
  /** Sentences about what the figure rests on. */
  notes: string[]
}

/** Training steps of one variant's run (see the definition at the top of this file). */
export function trainingSteps(
  clips: number,
  folds: number,
  batchSize: number,
  epochs: number,
  finalModel: boolean,
): number {
  const foldClips = (clips * (folds - 1)) / folds
  const perEpoch =
    folds * Math.ceil(foldClips / batchSize) + (finalModel ? Math.ceil(clips / batchSize) : 0)
  return epochs * perEpoch
}

/** The estimate of a run (see the definition at the top of this file). */
export function estimateRunTime(input: EstimateInput): TimeEstimate {
  const epochs = input.epochs ?? PRESET_FACTS[input.preset].epochs
  const batchSize = input.batchSize ?? PRESET_FACTS[input.preset].batchSize
  const runs = input.folds - 1 + (input.finalModel ? 1 : 0)
  const steps =
    trainingSteps(input.clips, input.folds, batchSize, epochs, input.finalModel) *
    input.variants.length
  let images = 0
  for (const variant of input.variants) {
    images += epochs * framesPerClip(variant, input.preset) * input.clips * runs
  }
  const testImages = input.clips * input.variants.length
  const prepMs = JOB_STARTUP_MS + input.pixelFrames * PREP_MS_PER_PIXEL_FRAME
  const notes: string[] = []
  const cost = WASM_STEP_COST[input.preset]
  let factor = BACKEND_FACTOR[input.backend]
  if (factor === undefined || factor === null) {
    factor = 1
    notes.push(`${input.backend} was not measured on the development machine: wasm's cost is used.`)
  }
  const base = { prepMs, trainingSteps: steps, trainingImages: images }
  if (cost === null) {
    notes.push(`The ${input.preset} preset's training cost was not measured: no estimate.`)
    return { ...base, totalMs: null, trainMs: null, testMs: null, notes }
  }
  const trainMs = (steps * cost.stepMs + images * cost.imageMs) * factor
  const testMs = (testImages * cost.imageMs * factor) / 3
  notes.push('Preparation is an upper bound: clips magnified by an earlier run are cached.')
  return { ...base, totalMs: prepMs + trainMs + testMs, trainMs, testMs, notes }
}

/**
 * An estimate in words: "about 40 s", "about 3 min", "about 1 h 20 min": rounded to whole
 * seconds under a minute and to whole minutes above, then in lib/format's duration format.
 */
export function formatEstimate(ms: number): string {
  const s = Math.round(ms / 1000)
  const rounded = s < 60 ? Math.max(1, s) * 1000 : Math.round(s / 60) * 60_000
  return `about ${formatDuration(rounded)}`
}
