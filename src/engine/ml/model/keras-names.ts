/**
 * Layer names of keras-vggface's SENET50 (keras_vggface/models.py). Every preset uses them,
 * so weights of any preset built like SENET50 import by name. Keras numbers the stages
 * from 2 (the stem is "conv1") and the blocks of a stage from 1.
 */

/** The 7×7/2 stem convolution. */
export const STEM_CONV = 'conv1/7x7_s2'

/** Name of the batch-norm layer that follows a convolution. */
export function bnName(convName: string): string {
  return `${convName}/bn`
}

/** Layer names of one bottleneck block. */
export interface BlockLayerNames {
  /** 1×1 reduce convolution (carries the stride in a stage's first block). */
  reduce: string
  /** 3×3 convolution, 'same' padding. */
  conv3x3: string
  /** 1×1 increase convolution to 4·width channels. */
  increase: string
  /** Squeeze-and-excitation 1×1 convolution down to channels / seRatio (with bias). */
  seDown: string
  /** Squeeze-and-excitation 1×1 convolution back up to the channels (with bias). */
  seUp: string
  /** 1×1 projection shortcut (first block of a stage only). */
  projection: string
}

/**
 * Names of block `block` (from 1) of Keras stage `kerasStage` (from 2), e.g.
 * `conv2_1_1x1_reduce`, `conv2_1_3x3`, `conv2_1_1x1_increase`, `conv2_1_1x1_down`.
 */
export function blockLayerNames(kerasStage: number, block: number): BlockLayerNames {
  const prefix = `conv${kerasStage}_${block}`
  return {
    reduce: `${prefix}_1x1_reduce`,
    conv3x3: `${prefix}_3x3`,
    increase: `${prefix}_1x1_increase`,
    seDown: `${prefix}_1x1_down`,
    seUp: `${prefix}_1x1_up`,
    projection: `${prefix}_1x1_proj`,
  }
}
