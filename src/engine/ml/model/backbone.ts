import type { tf } from '../tf'
import { describeSeResNet, type LayerSpec } from './architecture'
import { isFaceResNet, type ModelConfig } from './config'
import { describeFaceResNet, faceBlock, faceStem } from './face-resnet'
import { bottleneck, stem, type ForwardContext } from './layers'

/** One step of a forward pass (the stem or a block), run inside its own tidy. */
export type ForwardUnit = (ctx: ForwardContext, x: tf.Tensor4D) => tf.Tensor4D

/**
 * What the AU model needs of a backbone family: its weights, the side and channels of every
 * stage's output, the feature's stages and size, and the units of each stage (stage 0 starts
 * with the stem). The feature is the outputs of `featureStages` (the config's last
 * featureStages stages), each averaged over positions, concatenated.
 */
export interface Backbone {
  config: ModelConfig
  layers: readonly LayerSpec[]
  stageOutputSizes: readonly number[]
  stageChannels: readonly number[]
  /** Stages whose pooled outputs make the feature, ascending. */
  featureStages: readonly number[]
  /** Length of the feature: the channels of the feature stages summed. */
  featureSize: number
  units: readonly (readonly ForwardUnit[])[]
  /** Names of the layers of each stage (the stem's in stage 0), to freeze stages by. */
  stageLayers: readonly (readonly string[])[]
}

/** Groups `layers` by the stage `stageOf` gives each name. */
function groupByStage(
  layers: readonly LayerSpec[],
  stageCount: number,
  stageOf: (name: string) => number,
): string[][] {
  const groups: string[][] = Array.from({ length: stageCount }, () => [])
  for (const layer of layers) groups[stageOf(layer.name)].push(layer.name)
  return groups
}

/** The feature stages of a backbone of `stageChannels.length` stages, and the feature's size. */
function featureLayout(
  config: ModelConfig,
  stageChannels: readonly number[],
): Pick<Backbone, 'stageChannels' | 'featureStages' | 'featureSize'> {
  const count = config.featureStages ?? 1
  if (count > stageChannels.length) {
    throw new RangeError(`featureStages ${count}: the backbone has ${stageChannels.length} stages`)
  }
  const featureStages = stageChannels.map((_, s) => s).slice(stageChannels.length - count)
  const featureSize = featureStages.reduce((sum, s) => sum + stageChannels[s], 0)
  return { stageChannels, featureStages, featureSize }
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
    // A layer is named `<block>/<unit>/<conv|scale>`; the stem's block is conv32_down.
    const stageOfBlock = new Map(
      layout.stages.flatMap((blocks, s) => blocks.map((b) => [b.name, s] as const)),
    )
    const stageLayers = groupByStage(
      layout.layers,
      units.length,
      (name) => stageOfBlock.get(name.split('/')[0]) ?? 0,
    )
    const channels = layout.stages.map((blocks) => blocks[blocks.length - 1].outChannels)
    return { ...layout, units, stageLayers, ...featureLayout(config, channels) }
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
  // Keras numbers stages from 2 (`conv3_1_…` is stage 1); the stem is `conv1/…`.
  const stageLayers = groupByStage(layout.layers, units.length, (name) =>
    Math.max(0, Number(/^conv(\d+)/.exec(name)?.[1] ?? 2) - 2),
  )
  const channels = layout.stages.map((blocks) => blocks[blocks.length - 1].outChannels)
  return { ...layout, units, stageLayers, ...featureLayout(config, channels) }
}
