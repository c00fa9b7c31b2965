/**
 * dlib's face-recognition ResNet (dlib_face_recognition_resnet_model_v1, a ResNet-34 with
 * a few layers removed and half the filters) as @vladmandic/face-api ships it in
 * `model/face_recognition_model*`, rebuilt in our layers so it trains like every preset.
 * Layer names are face-api's, so its weights load by name (weights/face-api-weights.ts).
 *
 * Every convolution is followed by bias and a per-channel affine "scale" layer
 * (x·γ + β: dlib's batch norm folded into fixed statistics), then ReLU where noted:
 *   stem  `conv32_down`: 7×7/2 'valid' conv → scale → ReLU → 3×3/2 'valid' max pool
 *   block: conv1 3×3 ('same'; 'valid' stride 2 in a down block) → scale → ReLU →
 *          conv2 3×3 'same' → scale, plus the shortcut, then ReLU. A down block's shortcut
 *          is a 2×2/2 average pool, zero-padded to the block's channels; when the pool
 *          keeps one row and column more than the strided conv, the conv output gets a
 *          zero row and column at its end (face-api's residualDown).
 * At 150² the sides are 72 (stem) → 35 → 35, 17, 8, 4, 2; the pooled 2×2×256 feature
 * feeds face-api's 256 → 128 fc (the descriptor), which this backbone leaves out.
 */
import { tf } from '../tf'
import { parameterName, type LayerSpec } from './architecture'
import type { FaceResNetConfig } from './config'
import type { ForwardContext } from './layers'

/** One residual block of the face network. */
export interface FaceBlock {
  /** face-api's name, e.g. `conv64_down`, `conv64_1`. */
  name: string
  inChannels: number
  outChannels: number
  /** Halves the side (strided conv1, average-pooled shortcut). */
  down: boolean
  /** Side of the block's output. */
  outputSize: number
}

/** Shapes and weights of the face network at one input side. */
export interface FaceResNetLayout {
  config: FaceResNetConfig
  stemOutputSize: number
  poolOutputSize: number
  /** Blocks of each stage; stage 0 follows the stem. */
  stages: readonly (readonly FaceBlock[])[]
  stageOutputSizes: readonly number[]
  /** Channels of the pooled feature: 256. */
  featureSize: number
  /** Layers with weights in face-api's manifest order. */
  layers: readonly LayerSpec[]
}

/** Name of the stem unit. */
export const FACE_STEM = 'conv32_down'

/**
 * The blocks by stage. Stages follow the channel count; the last 256-channel down block
 * is a stage of its own so Grad-CAM can stop before the 2×2 output.
 */
const FACE_STAGE_BLOCKS: readonly (readonly string[])[] = [
  ['conv32_1', 'conv32_2', 'conv32_3'],
  ['conv64_down', 'conv64_1', 'conv64_2', 'conv64_3'],
  ['conv128_down', 'conv128_1', 'conv128_2'],
  ['conv256_down', 'conv256_1', 'conv256_2'],
  ['conv256_down_out'],
]

function convUnitLayers(unit: string, kernel: number, inC: number, outC: number): LayerSpec[] {
  return [
    {
      name: `${unit}/conv`,
      kind: 'conv2d',
      weights: [
        {
          name: 'kernel',
          shape: [kernel, kernel, inC, outC],
          trainable: true,
          initializer: 'he_normal',
        },
        { name: 'bias', shape: [outC], trainable: true, initializer: 'zeros' },
      ],
    },
    {
      name: `${unit}/scale`,
      kind: 'scale',
      weights: [
        { name: 'gamma', shape: [outC], trainable: true, initializer: 'ones' },
        { name: 'beta', shape: [outC], trainable: true, initializer: 'zeros' },
      ],
    },
  ]
}

function channelsOf(block: string): number {
  return Number(/^conv(\d+)_/.exec(block)![1])
}

/**
 * Lays out the face network for `config.inputSize`. Throws a RangeError when the input is
 * too small for a down block (which needs a side of at least 3).
 */
export function describeFaceResNet(config: FaceResNetConfig): FaceResNetLayout {
  const stemOutputSize = Math.floor((config.inputSize - 7) / 2) + 1
  const poolOutputSize = Math.floor((stemOutputSize - 3) / 2) + 1
  const layers: LayerSpec[] = convUnitLayers(FACE_STEM, 7, 3, 32)
  const stages: FaceBlock[][] = []
  const stageOutputSizes: number[] = []
  let side = poolOutputSize
  let channels = 32
  for (const names of FACE_STAGE_BLOCKS) {
    const blocks: FaceBlock[] = []
    for (const name of names) {
      const down = name.includes('_down')
      if (down && side < 3) throw new RangeError(`input ${config.inputSize} is too small`)
      const outChannels = channelsOf(name)
      side = down ? Math.floor(side / 2) : side
      blocks.push({ name, inChannels: channels, outChannels, down, outputSize: side })
      layers.push(...convUnitLayers(`${name}/conv1`, 3, channels, outChannels))
      layers.push(...convUnitLayers(`${name}/conv2`, 3, outChannels, outChannels))
      channels = outChannels
    }
    stages.push(blocks)
    stageOutputSizes.push(side)
  }
  return {
    config,
    stemOutputSize,
    poolOutputSize,
    stages,
    stageOutputSizes,
    featureSize: channels,
    layers,
  }
}

/** conv (with bias) → per-channel scale (x·γ + β) of unit `unit`. */
function convScale(
  ctx: ForwardContext,
  x: tf.Tensor4D,
  unit: string,
  stride: number,
  padding: 'same' | 'valid',
): tf.Tensor4D {
  const p = (layer: string, w: 'kernel' | 'bias' | 'gamma' | 'beta') =>
    ctx.params.get(parameterName(`${unit}/${layer}`, w))
  const y = tf.conv2d(x, p('conv', 'kernel') as tf.Tensor4D, stride, padding).add(p('conv', 'bias'))
  return y.mul(p('scale', 'gamma')).add(p('scale', 'beta'))
}

/** The stem: 7×7/2 'valid' conv, scale, ReLU, 3×3/2 'valid' max pool. */
export function faceStem(ctx: ForwardContext, x: tf.Tensor4D): tf.Tensor4D {
  return tf.maxPool(tf.relu(convScale(ctx, x, FACE_STEM, 2, 'valid')), 3, 2, 'valid')
}

/** One residual block (see the file's description). */
export function faceBlock(ctx: ForwardContext, x: tf.Tensor4D, b: FaceBlock): tf.Tensor4D {
  let y = tf.relu(convScale(ctx, x, `${b.name}/conv1`, b.down ? 2 : 1, b.down ? 'valid' : 'same'))
  y = convScale(ctx, y, `${b.name}/conv2`, 1, 'same')
  if (!b.down) return tf.relu(y.add(x))
  let shortcut = tf.avgPool(x, 2, 2, 'valid')
  if (b.outChannels > b.inChannels) {
    shortcut = tf.pad(shortcut, [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, b.outChannels - b.inChannels],
    ])
  }
  const extra = shortcut.shape[1] - y.shape[1]
  if (extra > 0)
    y = tf.pad(y, [
      [0, 0],
      [0, extra],
      [0, extra],
      [0, 0],
    ])
  return tf.relu(y.add(shortcut))
}
