import type { ModelConfig } from '../../model/config'

/** Values of named tensors as they cross a thread boundary. */
export type NamedArrays = [name: string, values: Float32Array][]

/** What the pool asks a step worker. */
export type StepWorkerRequest =
  | { type: 'init'; config: ModelConfig; auList: string[] }
  /** Every weight of the model (trainable and moving statistics) for this step. */
  | { type: 'parameters'; values: NamedArrays }
  /** Step 1 of gradient caching on micro-batch `part`: forward without a tape. */
  | {
      type: 'forward'
      part: number
      input: Float32Array
      shape: [number, number, number, number]
      training: boolean
    }
  /** Step 3 on micro-batch `part`: taped forward and backward from the cached gradients. */
  | { type: 'backward'; part: number; dFeatures: Float32Array; dLogits: Float32Array }

/** What a step worker answers (one answer per request, in order). */
export type StepWorkerReply =
  | { type: 'ready'; backend: string }
  | { type: 'parameters' }
  | {
      type: 'forward'
      features: Float32Array
      logits: Float32Array
      /** Batch-norm statistics per layer: mean, unbiased variance (training mode only). */
      statistics: [layer: string, mean: Float32Array, variance: Float32Array][]
    }
  | { type: 'backward'; grads: NamedArrays }
  | { type: 'error'; message: string }
