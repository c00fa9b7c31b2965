import type { tf } from '../tf'
import { describeSeResNet, type LayerSpec } from './architecture'
import { isFaceResNet, type ModelConfig } from './config'
import { describeFaceResNet, faceBlock, faceStem } from './face-resnet'
import { bottleneck, stem, type ForwardContext } from './layers'

/** One step of a forward pass (the stem or a block), run inside its own tidy. */
export type ForwardUnit = (ctx: ForwardContext, x: tf.Tensor4D) => tf.Tensor4D

/**
 * What the AU model needs of a backbone family: its weights, the side of every stage's
 * output, the pooled feature's size and the units of each stage (stage 0 starts with the
 * stem). The last stage's output, averaged over positions, is the feature.
 */
export interface Backbone {
  config: ModelConfig
  layers: readonly LayerSpec[]
  stageOutputSizes: readonly number[]
  featureSize: number
  units: readonly (readonly ForwardUnit[])[]
}

/** The backbone of `config`: an SE-ResNet, or the face-recognition ResNet. */
export function describeBackbone(config: ModelConfig): Backbone {
  if (isFaceResNet(config)) {
    const layout = describeFaceResNet(config)
    const units = layout.stages.map((blocks) =>
      blocks.map(
        (b): ForwardUnit =>
          (ctx, x) =>
            faceBlock(ctx, x, b),
      ),
    )
    units[0] = [faceStem, ...units[0]]
    return { ...layout, units }
  }
  const layout = describeSeResNet(config)
  const units = layout.stages.map((blocks) =>
    blocks.map(
      (b): ForwardUnit =>
        (ctx, x) =>
          bottleneck(ctx, x, b),
    ),
  )
  units[0] = [stem, ...units[0]]
  return { ...layout, units }
}
