import { tf } from '../tf'
import {
  AU_HEAD,
  describeAuHead,
  describeSeResNet,
  parameterName,
  type BackboneLayout,
  type LayerSpec,
} from './architecture'
import type { SeResNetConfig } from './config'
import { bottleneck, stem, type BatchStatisticsSink, type ForwardContext } from './layers'
import { ParameterStore } from './parameters'

/** Forward-pass mode. */
export interface ApplyOptions {
  /** Batch statistics in batch norm and moving-average updates (true) or inference (false). */
  training: boolean
  /** Where training batch statistics go; by default they update the moving averages at once. */
  statistics?: BatchStatisticsSink
}

/**
 * What one forward pass returns (a type alias rather than an interface so that it is a
 * tf.TensorContainer: tf.dispose(outputs) frees all three).
 */
export type ModelOutputs = {
  /** Global-average-pooled last-stage activations [N, featureSize] (not normalised). */
  features: tf.Tensor2D
  /** One logit per AU [N, auCount]; the AU probability is sigmoid(logit). */
  logits: tf.Tensor2D
  /** Output of the last stage [N, h, w, featureSize] (Grad-CAM reads it). */
  lastStage: tf.Tensor4D
}

/** Options of {@link AuModel.create}. */
export interface CreateModelOptions {
  /** Seed of the initial weights; random when left out. */
  seed?: number
}

function headFor(layout: BackboneLayout, auList: readonly string[]): LayerSpec {
  if (auList.length === 0) throw new RangeError('a model needs at least one AU')
  if (new Set(auList).size !== auList.length) {
    throw new RangeError(`AU list has duplicates: ${auList.join(', ')}`)
  }
  return describeAuHead(layout.featureSize, auList.length)
}

/**
 * An SE-ResNet backbone plus a dense AU head (one logit per AU), held as named variables
 * (see {@link ParameterStore}) so that custom training loops can take gradients with
 * tf.variableGrads and weight files can be matched layer by layer. Inputs are
 * pre-processed images [N, H, W, 3] (see preprocessPixels).
 */
export class AuModel {
  private constructor(
    /** Backbone shapes and layers. */
    readonly layout: BackboneLayout,
    /** The AUs, in logit order (e.g. ["1", "2", "4"]). */
    readonly auList: readonly string[],
    /** Every weight of backbone and head. */
    readonly params: ParameterStore,
  ) {}

  /** Builds a model with freshly initialised weights. */
  static create(
    config: SeResNetConfig,
    auList: readonly string[],
    options: CreateModelOptions = {},
  ): AuModel {
    const layout = describeSeResNet(config)
    const layers = [...layout.layers, headFor(layout, auList)]
    return new AuModel(layout, [...auList], ParameterStore.initialise(layers, options.seed))
  }

  /**
   * Builds a model whose weights are `values` (`<layer>/<weight>` → tensor, every weight of
   * backbone and head). Throws a RangeError naming missing or mis-shaped weights.
   */
  static fromWeights(
    config: SeResNetConfig,
    auList: readonly string[],
    values: Readonly<Record<string, tf.Tensor>>,
  ): AuModel {
    const layout = describeSeResNet(config)
    const layers = [...layout.layers, headFor(layout, auList)]
    return new AuModel(layout, [...auList], ParameterStore.fromTensors(layers, values))
  }

  /** The backbone configuration. */
  get config(): SeResNetConfig {
    return this.layout.config
  }

  /** Layers with weights: backbone (Keras order) then the AU head. */
  layers(): LayerSpec[] {
    return [...this.layout.layers, headFor(this.layout, this.auList)]
  }

  private context({ training, statistics }: ApplyOptions): ForwardContext {
    return {
      params: this.params,
      training,
      statistics,
      bnEpsilon: this.config.bnEpsilon,
      bnMomentum: this.config.bnMomentum,
    }
  }

  private checkStage(stage: number): void {
    if (!Number.isInteger(stage) || stage < 0 || stage >= this.layout.stages.length) {
      throw new RangeError(`stage ${stage} outside 0..${this.layout.stages.length - 1}`)
    }
  }

  /**
   * Runs the stem and stages 0..`stage` (0-based; the last stage when left out) and returns
   * that stage's output [N, h, w, c].
   */
  stageOutput(x: tf.Tensor4D, options: ApplyOptions, stage?: number): tf.Tensor4D {
    const last = stage ?? this.layout.stages.length - 1
    this.checkStage(last)
    if (x.rank !== 4 || x.shape[3] !== 3) {
      throw new RangeError(`expected images [N, H, W, 3], got [${x.shape.join(', ')}]`)
    }
    const ctx = this.context(options)
    let a = tf.tidy(() => stem(ctx, x))
    for (let s = 0; s <= last; s++) {
      for (const block of this.layout.stages[s]) {
        const input = a
        a = tf.tidy(() => bottleneck(ctx, input, block))
        input.dispose()
      }
    }
    return a
  }

  /**
   * Continues a forward pass from the output of stage `stage`: the remaining stages, the
   * global average pool and the AU head. Returns the logits [N, auCount].
   */
  logitsFromStage(a: tf.Tensor4D, stage: number, options: ApplyOptions): tf.Tensor2D {
    this.checkStage(stage)
    const ctx = this.context(options)
    return tf.tidy(() => {
      let y = a
      for (let s = stage + 1; s < this.layout.stages.length; s++) {
        for (const block of this.layout.stages[s]) y = bottleneck(ctx, y, block)
      }
      return this.head(y.mean([1, 2]) as tf.Tensor2D)
    })
  }

  private head(features: tf.Tensor2D): tf.Tensor2D {
    const kernel = this.params.get(parameterName(AU_HEAD, 'kernel'))
    const bias = this.params.get(parameterName(AU_HEAD, 'bias'))
    return features.matMul(kernel as tf.Tensor2D).add(bias)
  }

  /**
   * Full forward pass: pooled features, AU logits and the last stage output. Every call in
   * training mode updates the batch-norm moving statistics once, as every call of a Keras
   * model does; feed onset, apex and close-to-apex frames as one concatenated batch to
   * update them once per step.
   */
  apply(x: tf.Tensor4D, options: ApplyOptions): ModelOutputs {
    const lastStage = this.stageOutput(x, options)
    return tf.tidy(() => {
      const features = lastStage.mean([1, 2]) as tf.Tensor2D
      return { features, logits: this.head(features), lastStage }
    })
  }

  /** Frees every weight. */
  dispose(): void {
    this.params.dispose()
  }
}
