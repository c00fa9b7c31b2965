/**
 * The memory one training step needs, and the guard that refuses a run whose step cannot
 * fit in the wasm backend's heap before it starts (instead of crashing mid-step).
 *
 * Why a step is large. tfjs-core's gradient tape keeps every tensor a kernel's gradient
 * reads (conv inputs, batch-norm x − μ and (x − μ)², ReLU inputs, …) until the backward
 * pass ends, and its backpropagateGradients keeps every intermediate gradient too: none is
 * freed before the 'backward' tidy closes. So a step's peak is about the forward tensors
 * of every image plus as many gradients plus the temporaries of the gradient kernels.
 *
 * Why wasm has a hard limit. tfjs-backend-wasm 4.22 is wasm32: its heap cannot pass
 * 4 294 901 760 bytes (its getHeapMax). When malloc fails, XNNPACK answers
 * xnn_status_out_of_memory ("XNN status 6", e.g. from xnn_create_fully_connected_nc_f32)
 * and the module then aborts in _register_tensor ("RuntimeError: divide by zero" or
 * "Aborted()"); the module stays dead for the rest of the process. The paper preset
 * (SE-ResNet-50 at 224²) needs ≈ 0.65 GiB per image, so even 2 clips of a 3-frame variant
 * (6 images) overrun it if they go through one tape.
 *
 * Why a step now fits. The step is computed by gradient caching (cached-gradients.ts): only
 * one micro-batch is on a tape at a time, so the tape term counts the images of one
 * micro-batch; the step adds the whole batch's input images, kept for the second pass, and
 * the running sum of the parameter gradients. The run picks the largest micro-batch that
 * fits ({@link planMicroBatch}) and refuses only a run whose single clip cannot fit.
 *
 * Model (definitions next to the code below):
 *   step bytes ≈ FIXED_FACTOR × parameter bytes + images × TAPE_FACTOR × tape bytes per image
 * calibrated on the wasm heap reached by one trainStep (scratch script, 2 vCPU Xeon,
 * Node 20, tfjs 4.22, single-threaded build):
 *   paper    2, 3, 4 images → 1786, 2472, 3080 MiB (6 images: out of memory, aborted);
 *   laptop  48, 300 images →  564, 3274 MiB;  tiny 24 images → 16 MiB (the initial heap).
 * Paper: 647 MiB per image against 236 MiB of tape bytes per image (2.74×), 492 MiB fixed
 * against 99.6 MiB of parameters (4.9×: weights, gradients, momentum, XNNPACK's packed
 * filters). Laptop: at most 2.91× (the heap figure includes up to 96 MiB of growth step).
 * The model takes the larger ratio, so it over-estimates the paper preset by ≈ 5 %.
 * With several micro-batches (gradient caching) add the batch's input and one more
 * gradient-sized buffer per parameter (the running sum):
 *   step bytes ≈ (FIXED_FACTOR + 1) × parameter bytes + micro-batch images × TAPE_FACTOR ×
 *                tape bytes per image + batch images × input bytes per image
 * checked on the paper IICL step of 16 clips × 3 frames in micro-batches of one clip:
 * 2576 MiB measured (the same after every micro-batch: the heap does not grow over them)
 * against 2679 MiB estimated. The whole 4 GiB is usable: addresses above 2 GiB compute
 * right (docs/ARCHITECTURE.md, "Tensor backends and kernels").
 */
import { AppError } from '../../../shared/errors'
import type { BackendName } from '../backend'
import { VARIANT_INPUTS, type LossVariant } from '../losses'
import { describeSeResNet, countParameters } from '../model/architecture'
import { describeBackbone } from '../model/backbone'
import {
  comparesWithOnset,
  isFaceResNet,
  type FaceResNetConfig,
  type ModelConfig,
} from '../model/config'
import { describeFaceResNet } from '../model/face-resnet'
import { getPreset } from '../model/presets'

const FLOAT_BYTES = 4
const MIB = 2 ** 20
const GIB = 2 ** 30

/** Most bytes the wasm backend's heap can grow to (tfjs-backend-wasm 4.22, wasm32). */
export const WASM_HEAP_MAX_BYTES = 4_294_901_760

/**
 * What a training step may need on wasm: 3.5 GiB of the 4 GiB, leaving room for heap
 * fragmentation and the heap's growth steps (it grows by up to 96 MiB past a request).
 */
export const WASM_STEP_BUDGET_BYTES = 3.5 * GIB

/** Peak step bytes per tape byte of one image (measured 2.74 on paper, ≤ 2.91 on laptop). */
export const TAPE_FACTOR = 2.9

/** Fixed step bytes per parameter byte (measured 4.9 on the paper preset). */
export const FIXED_FACTOR = 5

/**
 * Elements of one image's tensors that the forward pass of a training step keeps for the
 * backward pass. A conv followed by training batch norm keeps 4 tensors of the conv's
 * output size (the conv output, x − μ, (x − μ)², the normalised output), 5 with a ReLU.
 *   stem:  input side² × 3 + 5 × stem side² × stem filters + pooled side² × stem filters
 *   block (output side o, width w, C = 4w output channels):
 *          5·o²·w (1×1 reduce) + 5·o²·w (3×3) + 4·o²·C (1×1 increase)
 *          + 3·o²·C (SE product, sum with the shortcut, ReLU) + 4·o²·C with a projection
 * The face ResNet (no batch norm) keeps per conv unit its conv output, + bias, × γ and + β
 * (4 tensors), 5 with a ReLU:
 *   stem:  input side² × 3 + 5 × stem side² × 32 + pooled side² × 32
 *   block (output side o, C channels): 5·o²·C + 4·o²·C + 2·o²·C (sum, ReLU)
 *          + 2·o²·C in a down block (padded shortcut and conv output)
 */
export function tapeElementsPerImage(config: ModelConfig): number {
  if (isFaceResNet(config)) return faceTapeElements(config)
  const layout = describeSeResNet(config)
  const f = config.stemFilters
  let total =
    config.inputSize ** 2 * 3 + 5 * layout.stemOutputSize ** 2 * f + layout.poolOutputSize ** 2 * f
  layout.stages.forEach((blocks, s) => {
    const area = layout.stageOutputSizes[s] ** 2
    for (const b of blocks) {
      total += area * (10 * b.width + 7 * b.outChannels + (b.hasProjection ? 4 : 0) * b.outChannels)
    }
  })
  return total
}

function faceTapeElements(config: FaceResNetConfig): number {
  const layout = describeFaceResNet(config)
  let total =
    config.inputSize ** 2 * 3 +
    5 * layout.stemOutputSize ** 2 * 32 +
    layout.poolOutputSize ** 2 * 32
  for (const b of layout.stages.flat())
    total += b.outputSize ** 2 * b.outChannels * (b.down ? 13 : 11)
  return total
}

/** Estimated peak bytes of one training step of `images` images (see the model above). */
export function trainingStepBytes(config: ModelConfig, images: number): number {
  const { total } = countParameters(describeBackbone(config).layers)
  const tapeBytes = tapeElementsPerImage(config) * FLOAT_BYTES
  return FIXED_FACTOR * total * FLOAT_BYTES + images * TAPE_FACTOR * tapeBytes
}

/**
 * Images one step feeds per clip: the apex, plus close-to-apex and onset when the loss uses
 * them; the onset always for a model that compares with it (config `headInput`).
 */
export function framesPerClip(variant: LossVariant, config: ModelConfig): number {
  const { onset, close } = VARIANT_INPUTS[variant]
  return 1 + (close ? 1 : 0) + (onset || comparesWithOnset(config) ? 1 : 0)
}

/**
 * Estimated peak bytes of one cached-gradient step: `batchImages` images in micro-batches of
 * `microImages` (one micro-batch is exactly {@link trainingStepBytes}).
 */
export function cachedStepBytes(
  config: ModelConfig,
  microImages: number,
  batchImages: number,
): number {
  const single = trainingStepBytes(config, microImages)
  if (microImages >= batchImages) return single
  const { total } = countParameters(describeBackbone(config).layers)
  const inputBytes = config.inputSize ** 2 * 3 * FLOAT_BYTES
  return single + total * FLOAT_BYTES + batchImages * inputBytes
}

/** What the plan needs of a run. */
export interface StepMemoryInput {
  preset: string
  variant: LossVariant
  /** Clips per step. */
  batchSize: number
  /** Clips per micro-batch the user asked for; null picks the largest that fits. */
  microBatch: number | null
}

/** How a run's step will be computed, and what it needs. */
export interface StepMemoryReport {
  preset: string
  variant: LossVariant
  clipsPerStep: number
  imagesPerStep: number
  /** Clips per micro-batch the step will use (0: not even one clip fits). */
  microBatch: number
  /** Micro-batches per step. */
  microBatches: number
  estimatedBytes: number
  budgetBytes: number
  fits: boolean
}

/**
 * Plans a run's step against the memory budget (3.5 GiB: the wasm heap's hard limit, and
 * the default for the native backends, whose memory this model was not calibrated on): the
 * micro-batch asked for, or else the largest number of clips (up to the batch) whose
 * cached-gradient step fits.
 */
export function stepMemoryPlan(run: StepMemoryInput): StepMemoryReport {
  const config = getPreset(run.preset).model
  const frames = framesPerClip(run.variant, config)
  const images = run.batchSize * frames
  const bytesAt = (clips: number) => cachedStepBytes(config, clips * frames, images)
  let microBatch = run.microBatch ?? 0
  if (run.microBatch === null) {
    while (microBatch < run.batchSize && bytesAt(microBatch + 1) <= WASM_STEP_BUDGET_BYTES) {
      microBatch += 1
    }
  }
  const used = Math.min(Math.max(microBatch, 1), run.batchSize)
  const estimatedBytes = bytesAt(used)
  return {
    preset: run.preset,
    variant: run.variant,
    clipsPerStep: run.batchSize,
    imagesPerStep: images,
    microBatch: microBatch === 0 ? 0 : used,
    microBatches: Math.ceil(run.batchSize / used),
    estimatedBytes,
    budgetBytes: WASM_STEP_BUDGET_BYTES,
    fits: microBatch > 0 && estimatedBytes <= WASM_STEP_BUDGET_BYTES,
  }
}

function gib(bytes: number): string {
  return bytes >= GIB ? `${(bytes / GIB).toFixed(1)} GiB` : `${Math.round(bytes / MIB)} MiB`
}

/**
 * The micro-batch (clips) a run's steps will use on `backend`: the one asked for, else the
 * largest that fits the budget. On wasm it throws an `unsupported` AppError, before any
 * training, when the step cannot fit the heap (not even one clip, or a micro-batch asked
 * for that is too large), naming the preset, the estimate, the limit and what would fit.
 * The native backends take the micro-batch asked for as given.
 */
export function planMicroBatch(run: StepMemoryInput, backend: BackendName | string): number {
  const report = stepMemoryPlan(run)
  if (backend !== 'wasm' && run.microBatch !== null) return Math.min(run.microBatch, run.batchSize)
  if (report.fits || backend !== 'wasm') return Math.max(report.microBatch, 1)
  const largest = stepMemoryPlan({ ...run, microBatch: null }).microBatch
  const remedy =
    largest > 0
      ? ` A micro-batch of at most ${largest} clip${largest === 1 ? '' : 's'} fits; leave the micro-batch unset to use it.`
      : ` Use the laptop preset, or install @tensorflow/tfjs-node (npm install @tensorflow/tfjs-node) or, with an NVIDIA GPU, @tensorflow/tfjs-node-gpu, and choose that backend.`
  throw new AppError(
    'unsupported',
    `The ${run.preset} preset cannot train on the wasm backend with this micro-batch: one step ` +
      `of ${report.clipsPerStep} clips × ${framesPerClip(run.variant, getPreset(run.preset).model)} frames (${run.variant}) ` +
      `in micro-batches of ${report.microBatch} clips needs about ${gib(report.estimatedBytes)}, ` +
      `and the WebAssembly heap holds at most 4 GiB (${gib(report.budgetBytes)} usable for a ` +
      `step); tfjs-wasm would run out of memory mid-step.${remedy}`,
    { ...report, backend },
  )
}
