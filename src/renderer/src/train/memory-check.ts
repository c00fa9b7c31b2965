import { framesPerClip, type PresetName } from './presets'
import { formatNumber } from '../lib/format'

/**
 * The Train form's copy of the engine's step-memory plan (engine/ml/train/step-memory.ts),
 * so that the form says how a step will be cut and warns before a run the engine would
 * refuse. A step of n clips feeds k·n images (k = framesPerClip of the variant and preset) and is
 * computed by gradient caching in micro-batches of b clips; it needs about
 *   one micro-batch:  FIXED + k·b × PER_IMAGE
 *   several:          FIXED + k·b × PER_IMAGE + PARAMETERS + k·n × INPUT
 * (PARAMETERS: the running gradient sum; INPUT: one input image kept for the second pass),
 * within 3.5 GiB (the wasm heap's limit, and the engine's default for every backend). The
 * numbers are the engine's model evaluated per preset; tests/unit/ml-train/step-memory-
 * form.test.ts fails when they drift from it.
 */
export const STEP_BYTES: Record<
  PresetName,
  { fixed: number; perImage: number; parameters: number; input: number }
> = {
  tiny: { fixed: 757_260, perImage: 422_054, parameters: 151_452, input: 12_288 },
  laptop: { fixed: 5_009_520, perImage: 11_376_352, parameters: 1_001_904, input: 110_592 },
  paper: { fixed: 521_842_880, perImage: 717_920_845, parameters: 104_368_576, input: 602_112 },
  face: { fixed: 111_636_480, perImage: 40_877_797, parameters: 22_327_296, input: 270_000 },
}

/** What a training step may use (as the engine's budget). */
export const WASM_STEP_BUDGET_BYTES = 3.5 * 2 ** 30

/** What the check reads of the form. */
export interface MemoryCheckInput {
  preset: PresetName
  /** The backend the run will use (the chosen one, or the one `auto` picks). */
  backend: string
  /** One variant for a training run, several for an ablation. */
  variants: readonly string[]
  /** Clips per step. */
  batchSize: number
  /** Clips per micro-batch asked for; null lets the engine pick the largest that fits. */
  microBatch: number | null
}

/** How the run's steps will be computed, and why it cannot run on wasm (or null). */
export interface StepPlan {
  /** Clips per micro-batch (0: not even one clip fits). */
  microBatch: number
  microBatches: number
  problem: string | null
}

/** GiB to one decimal, written by lib/format ("3.5 GiB", "2 GiB"). */
function gib(bytes: number): string {
  return `${formatNumber(Math.round((bytes / 2 ** 30) * 10) / 10)} GiB`
}

function stepBytes(input: MemoryCheckInput, frames: number, clips: number): number {
  const cost = STEP_BYTES[input.preset]
  const single = cost.fixed + frames * clips * cost.perImage
  if (clips >= input.batchSize) return single
  return single + cost.parameters + frames * input.batchSize * cost.input
}

/**
 * The micro-batch the engine will use (the one asked for, capped at the batch, else the
 * largest that fits) and, on wasm, the engine's refusal when it does not fit.
 */
export function stepPlan(input: MemoryCheckInput): StepPlan {
  const frames = Math.max(...input.variants.map((v) => framesPerClip(v, input.preset)))
  let clips = input.microBatch ?? 0
  if (input.microBatch === null) {
    while (clips < input.batchSize && stepBytes(input, frames, clips + 1) <= WASM_STEP_BUDGET_BYTES)
      clips += 1
  }
  const used = Math.min(Math.max(clips, 1), input.batchSize)
  const microBatches = Math.ceil(input.batchSize / used)
  const bytes = stepBytes(input, frames, used)
  const fits = clips > 0 && bytes <= WASM_STEP_BUDGET_BYTES
  const microBatch = clips === 0 && input.backend === 'wasm' ? 0 : used
  if (input.backend !== 'wasm' || fits) return { microBatch, microBatches, problem: null }
  return {
    microBatch,
    microBatches,
    problem:
      `The ${input.preset} preset cannot train on the wasm backend with this micro-batch: a ` +
      `step of ${input.batchSize} clips × ${frames} frames in micro-batches of ${used} clips ` +
      `needs about ${gib(bytes)}, and the WebAssembly heap holds at most 4 GiB. Leave the ` +
      `micro-batch unset to use the largest that fits, or install @tensorflow/tfjs-node (or ` +
      `@tensorflow/tfjs-node-gpu with an NVIDIA GPU) and choose that backend.`,
  }
}

/** Why the run cannot train on wasm, in the engine's words, or null (see {@link stepPlan}). */
export function wasmMemoryProblem(input: MemoryCheckInput): string | null {
  return stepPlan(input).problem
}
