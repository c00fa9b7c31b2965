import { FRAMES_PER_CLIP, type PresetName } from './presets'

/**
 * The Train form's copy of the engine's wasm memory guard (engine/ml/train/step-memory.ts),
 * so that the form warns before a run the engine would refuse. A training step of n clips
 * feeds k·n images (k = FRAMES_PER_CLIP of the variant) and needs about
 *   step bytes = FIXED[preset] + k·n × PER_IMAGE[preset]
 * which on the wasm backend must stay within 3.5 GiB of its 4 GiB heap (wasm32). The
 * numbers are the engine's model evaluated per preset; tests/unit/ml-train/step-memory-
 * form.test.ts fails when they drift from it.
 */
export const STEP_BYTES: Record<PresetName, { fixed: number; perImage: number }> = {
  tiny: { fixed: 757_260, perImage: 422_054 },
  laptop: { fixed: 5_009_520, perImage: 11_376_352 },
  paper: { fixed: 521_842_880, perImage: 717_920_845 },
  face: { fixed: 111_636_480, perImage: 40_877_797 },
}

/** What a training step may use on the wasm backend (as the engine's budget). */
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
}

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`
}

/**
 * Why the run cannot train on wasm, in the engine's words, or null when it fits or runs on
 * another backend (those are not checked).
 */
export function wasmMemoryProblem(input: MemoryCheckInput): string | null {
  if (input.backend !== 'wasm') return null
  const cost = STEP_BYTES[input.preset]
  const frames = Math.max(...input.variants.map((v) => FRAMES_PER_CLIP[v] ?? 3), 2)
  const bytes = cost.fixed + frames * input.batchSize * cost.perImage
  if (bytes <= WASM_STEP_BUDGET_BYTES) return null
  const largest = Math.floor((WASM_STEP_BUDGET_BYTES - cost.fixed) / (frames * cost.perImage))
  const smaller = largest >= 2 ? ` At most ${largest} clips per step would fit.` : ''
  return (
    `The ${input.preset} preset cannot train on the wasm backend: a step of ` +
    `${input.batchSize} clips × ${frames} frames needs about ${gib(bytes)}, and the ` +
    `WebAssembly heap holds at most 4 GiB.${smaller} Use the laptop preset, or install ` +
    `@tensorflow/tfjs-node (or @tensorflow/tfjs-node-gpu with an NVIDIA GPU) and choose ` +
    `that backend.`
  )
}
