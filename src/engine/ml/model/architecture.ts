import { BOTTLENECK_EXPANSION, type SeResNetConfig } from './config'
import { STEM_CONV, blockLayerNames, bnName, type BlockLayerNames } from './keras-names'

/** Weight names inside a layer, as Keras names them (without the `:0` suffix). */
export type WeightName = 'kernel' | 'bias' | 'gamma' | 'beta' | 'moving_mean' | 'moving_variance'

/** How a weight is initialised when a model is built from scratch. */
export type Initializer = 'he_normal' | 'glorot_uniform' | 'zeros' | 'ones'

/** One weight of a layer. */
export interface WeightSpec {
  name: WeightName
  shape: readonly number[]
  trainable: boolean
  initializer: Initializer
}

/**
 * A layer that owns weights, with its weights in Keras order. `scale` is a per-channel
 * affine x·γ + β (a batch norm folded into fixed statistics).
 */
export interface LayerSpec {
  name: string
  kind: 'conv2d' | 'batch_norm' | 'dense' | 'scale'
  weights: readonly WeightSpec[]
}

/** One bottleneck block. */
export interface BlockLayout {
  /** Keras stage number (2 for the first stage). */
  kerasStage: number
  /** Block number inside the stage, from 1. */
  block: number
  inChannels: number
  width: number
  outChannels: number
  seChannels: number
  stride: number
  hasProjection: boolean
  names: BlockLayerNames
}

/** Everything about a backbone that follows from its configuration, without tensors. */
export interface BackboneLayout {
  config: SeResNetConfig
  /** Side of the stem convolution output. */
  stemOutputSize: number
  /** Side after the 3×3/2 max pool. */
  poolOutputSize: number
  /** Side of every stage output. */
  stageOutputSizes: readonly number[]
  /** Channels of the last stage = length of the pooled feature vector. */
  featureSize: number
  /** Blocks of every stage. */
  stages: readonly (readonly BlockLayout[])[]
  /** Layers with weights, in the order Keras lists them. */
  layers: readonly LayerSpec[]
}

/** Key of a weight in a model's parameter map: `<layer>/<weight>`, e.g. `conv1/7x7_s2/bn/gamma`. */
export function parameterName(layer: string, weight: WeightName): string {
  return `${layer}/${weight}`
}

function convLayer(
  name: string,
  kernel: number,
  inChannels: number,
  outChannels: number,
  withBias: boolean,
): LayerSpec {
  const weights: WeightSpec[] = [
    {
      name: 'kernel',
      shape: [kernel, kernel, inChannels, outChannels],
      trainable: true,
      initializer: 'he_normal',
    },
  ]
  if (withBias) {
    weights.push({ name: 'bias', shape: [outChannels], trainable: true, initializer: 'zeros' })
  }
  return { name, kind: 'conv2d', weights }
}

function batchNormLayer(name: string, channels: number): LayerSpec {
  const shape = [channels]
  return {
    name,
    kind: 'batch_norm',
    weights: [
      { name: 'gamma', shape, trainable: true, initializer: 'ones' },
      { name: 'beta', shape, trainable: true, initializer: 'zeros' },
      { name: 'moving_mean', shape, trainable: false, initializer: 'zeros' },
      { name: 'moving_variance', shape, trainable: false, initializer: 'ones' },
    ],
  }
}

function blockLayers(b: BlockLayout): LayerSpec[] {
  const n = b.names
  const layers = [
    convLayer(n.reduce, 1, b.inChannels, b.width, false),
    batchNormLayer(bnName(n.reduce), b.width),
    convLayer(n.conv3x3, 3, b.width, b.width, false),
    batchNormLayer(bnName(n.conv3x3), b.width),
    convLayer(n.increase, 1, b.width, b.outChannels, false),
    batchNormLayer(bnName(n.increase), b.outChannels),
    convLayer(n.seDown, 1, b.outChannels, b.seChannels, true),
    convLayer(n.seUp, 1, b.seChannels, b.outChannels, true),
  ]
  if (b.hasProjection) {
    layers.push(
      convLayer(n.projection, 1, b.inChannels, b.outChannels, false),
      batchNormLayer(bnName(n.projection), b.outChannels),
    )
  }
  return layers
}

/**
 * Lays out the backbone of `config`: block shapes, spatial sizes and the weights of every
 * layer, mirroring keras-vggface SENET50 (for the `paper` preset, 224 → stem 112 → pool 55
 * → stages 55, 28, 14, 7). Throws a RangeError when the input is too small for the depth.
 */
export function describeSeResNet(config: SeResNetConfig): BackboneLayout {
  // TF 'same' at stride 2 gives ceil(n / 2); 'valid' 3×3/2 pooling gives floor((n − 3) / 2) + 1.
  const stemOutputSize = Math.ceil(config.inputSize / 2)
  if (stemOutputSize < 3) throw new RangeError(`input ${config.inputSize} is too small`)
  const poolOutputSize = Math.floor((stemOutputSize - 3) / 2) + 1

  const stages: BlockLayout[][] = []
  const stageOutputSizes: number[] = []
  let channels = config.stemFilters
  let size = poolOutputSize
  config.stages.forEach((blockCount, s) => {
    const width = config.widths[s]
    const outChannels = width * BOTTLENECK_EXPANSION
    const stageStride = s === 0 ? 1 : 2
    const blocks: BlockLayout[] = []
    for (let i = 0; i < blockCount; i++) {
      blocks.push({
        kerasStage: s + 2,
        block: i + 1,
        inChannels: channels,
        width,
        outChannels,
        seChannels: Math.max(1, Math.floor(outChannels / config.seRatio)),
        stride: i === 0 ? stageStride : 1,
        hasProjection: i === 0,
        names: blockLayerNames(s + 2, i + 1),
      })
      channels = outChannels
    }
    // A 1×1 'valid' convolution of stride 2 keeps ceil(n / 2) positions.
    size = Math.ceil(size / stageStride)
    stages.push(blocks)
    stageOutputSizes.push(size)
  })

  const layers: LayerSpec[] = [
    convLayer(STEM_CONV, 7, 3, config.stemFilters, false),
    batchNormLayer(bnName(STEM_CONV), config.stemFilters),
    ...stages.flat().flatMap(blockLayers),
  ]
  return {
    config,
    stemOutputSize,
    poolOutputSize,
    stageOutputSizes,
    featureSize: channels,
    stages,
    layers,
  }
}

/** Name of the AU classifier layer. */
export const AU_HEAD = 'au_head'

/** The AU head: one dense layer from the pooled feature to one logit per AU. */
export function describeAuHead(featureSize: number, auCount: number): LayerSpec {
  return {
    name: AU_HEAD,
    kind: 'dense',
    weights: [
      {
        name: 'kernel',
        shape: [featureSize, auCount],
        trainable: true,
        initializer: 'glorot_uniform',
      },
      { name: 'bias', shape: [auCount], trainable: true, initializer: 'zeros' },
    ],
  }
}

/** Parameter totals as Keras counts them (batch-norm moving statistics included). */
export interface ParameterCount {
  total: number
  trainable: number
}

/** Counts the weights of `layers`. */
export function countParameters(layers: readonly LayerSpec[]): ParameterCount {
  let total = 0
  let trainable = 0
  for (const layer of layers) {
    for (const w of layer.weights) {
      const size = w.shape.reduce((a, b) => a * b, 1)
      total += size
      if (w.trainable) trainable += size
    }
  }
  return { total, trainable }
}
