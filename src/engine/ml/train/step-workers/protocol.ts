import type { ModelConfig } from '../../model/config'
import type { BlockingReceiverEnd } from './blocking-channel'

/** One micro-batch of a step: its index in the batch, its clips and its pre-processed input. */
export interface PartInput {
  part: number
  /** Clips of the micro-batch (rows are kind-major blocks of this many, onset rows last). */
  clips: number
  input: Float32Array
  shape: [number, number, number, number]
}

/** Batch-norm statistics per layer: mean, unbiased variance (training mode only). */
export type LayerStatistics = [layer: string, mean: Float32Array, variance: Float32Array][]

/** What step 1 gives for one micro-batch. */
export interface PartOutputs {
  part: number
  features: Float32Array
  logits: Float32Array
  statistics: LayerStatistics
}

/**
 * What the pool asks a step worker. `init` hands over the shared buffers: `parameters`
 * (every variable, flat-parameters.ts, written by the pool before each step) and
 * `gradients` (this worker's summed parameter gradients, written by the worker).
 */
export type StepWorkerRequest =
  | {
      type: 'init'
      config: ModelConfig
      auList: string[]
      parameters: SharedArrayBuffer
      gradients: SharedArrayBuffer
      channel: BlockingReceiverEnd
    }
  /**
   * Steps 1 and 3 of gradient caching on these micro-batches. Answered twice: 'outputs'
   * (after step 1), then, once the cached gradients came over the channel, 'gradients'.
   */
  | { type: 'step'; parts: PartInput[]; training: boolean }

/** What the pool sends over the blocking channel between a step's two answers. */
export type CachedGradientsMessage =
  /** ∂L/∂F and ∂L/∂Z of each micro-batch, in the order of the step's parts. */
  | { type: 'cached'; parts: { dFeatures: Float32Array; dLogits: Float32Array }[] }
  /** The step failed elsewhere: stop waiting. */
  | { type: 'abort'; message: string }

/** What a step worker answers (in order; a 'step' gets two answers, errors included). */
export type StepWorkerReply =
  | { type: 'ready'; backend: string }
  | { type: 'outputs'; parts: PartOutputs[] }
  /** The gradients are in the shared buffer; `missing` names trainable variables that got none. */
  | { type: 'gradients'; missing: string[] }
  | { type: 'error'; message: string }
