import { tf } from '../tf'
import { AU_HEAD, describeAuHead, parameterName, type LayerSpec } from './architecture'
import { describeBackbone, type Backbone } from './backbone'
import { comparesWithOnset, isFaceResNet, type ModelConfig } from './config'
import type { BatchStatisticsSink, ForwardContext } from './layers'
import { ParameterStore } from './parameters'

/** Forward-pass mode. */
export interface ApplyOptions {
  /** Batch statistics in batch norm and moving-average updates (true) or inference (false). */
  training: boolean
  /** Where training batch statistics go; by default they update the moving averages at once. */
  statistics?: BatchStatisticsSink
  /**
   * For a model that compares every frame with its clip's onset (config `headInput`
   * 'frame-minus-onset'): the input's rows are kind-major blocks of this many clips (apex
   * rows, then any other kind), the last block being the clips' onset frames in the same
   * clip order. Ignored by a model whose head reads the frame alone.
   */
  onsetRows?: number
}

/**
 * What one forward pass returns (a type alias rather than an interface so that it is a
 * tf.TensorContainer: tf.dispose(outputs) frees all three).
 */
export type ModelOutputs = {
  /**
   * Global-average-pooled activations of the feature stages (the last stage unless the
   * config's featureStages says more), concatenated [N, featureSize] (not normalised).
   */
  features: tf.Tensor2D
  /**
   * One logit per AU [N, auCount]; the AU probability is sigmoid(logit). With an onset
   * comparison the onset rows' own logits are the bias alone (their difference is 0).
   */
  logits: tf.Tensor2D
  /** Output of the last stage [N, h, w, featureSize] (Grad-CAM reads it). */
  lastStage: tf.Tensor4D
}

/** Pooled stage outputs side by side (one alone as it is); frees the parts it joins. */
function concatFeatures(pooled: tf.Tensor2D[]): tf.Tensor2D {
  if (pooled.length === 1) return pooled[0]
  const joined = tf.concat(pooled, 1)
  tf.dispose(pooled)
  return joined
}

/** Options of {@link AuModel.create}. */
export interface CreateModelOptions {
  /** Seed of the initial weights; random when left out. */
  seed?: number
}

function headFor(layout: Backbone, auList: readonly string[]): LayerSpec {
  if (auList.length === 0) throw new RangeError('a model needs at least one AU')
  if (new Set(auList).size !== auList.length) {
    throw new RangeError(`AU list has duplicates: ${auList.join(', ')}`)
  }
  return describeAuHead(layout.featureSize, auList.length)
}

/**
 * A backbone (an SE-ResNet or the face ResNet, see backbone.ts) plus a dense AU head (one logit per AU), held as named variables
 * (see {@link ParameterStore}) so that custom training loops can take gradients with
 * tf.variableGrads and weight files can be matched layer by layer. Inputs are
 * pre-processed images [N, H, W, 3] (see preprocessPixels).
 */
export class AuModel {
  private constructor(
    /** Backbone shapes, layers and forward units. */
    readonly layout: Backbone,
    /** The AUs, in logit order (e.g. ["1", "2", "4"]). */
    readonly auList: readonly string[],
    /** Every weight of backbone and head. */
    readonly params: ParameterStore,
  ) {}

  /** Builds a model with freshly initialised weights. */
  static create(
    config: ModelConfig,
    auList: readonly string[],
    options: CreateModelOptions = {},
  ): AuModel {
    const layout = describeBackbone(config)
    const layers = [...layout.layers, headFor(layout, auList)]
    return new AuModel(layout, [...auList], ParameterStore.initialise(layers, options.seed))
  }

  /**
   * Builds a model whose weights are `values` (`<layer>/<weight>` → tensor, every weight of
   * backbone and head). Throws a RangeError naming missing or mis-shaped weights.
   */
  static fromWeights(
    config: ModelConfig,
    auList: readonly string[],
    values: Readonly<Record<string, tf.Tensor>>,
  ): AuModel {
    const layout = describeBackbone(config)
    const layers = [...layout.layers, headFor(layout, auList)]
    return new AuModel(layout, [...auList], ParameterStore.fromTensors(layers, values))
  }

  /** The backbone configuration. */
  get config(): ModelConfig {
    return this.layout.config
  }

  /** Layers with weights: backbone (Keras order) then the AU head. */
  layers(): LayerSpec[] {
    return [...this.layout.layers, headFor(this.layout, this.auList)]
  }

  private context({ training, statistics }: ApplyOptions): ForwardContext {
    const config = this.config
    // The face ResNet has no batch norm (its statistics are folded into scale layers).
    const bn = isFaceResNet(config)
      ? { bnEpsilon: 0, bnMomentum: 0 }
      : { bnEpsilon: config.bnEpsilon, bnMomentum: config.bnMomentum }
    return { params: this.params, training, statistics, ...bn }
  }

  /** Number of stages (Grad-CAM may explain any of them). */
  get stageCount(): number {
    return this.layout.units.length
  }

  private checkStage(stage: number): void {
    if (!Number.isInteger(stage) || stage < 0 || stage >= this.stageCount) {
      throw new RangeError(`stage ${stage} outside 0..${this.stageCount - 1}`)
    }
  }

  /**
   * Runs stages `from`..`to` on `a` (the stem first when `from` is 0), each unit in its own
   * tidy, freeing every intermediate output but not `a`; with `pooled`, adds each feature
   * stage's output averaged over positions to it.
   */
  private runStages(
    a: tf.Tensor4D,
    ctx: ForwardContext,
    from: number,
    to: number,
    pooled?: tf.Tensor2D[],
  ): tf.Tensor4D {
    let y = a
    for (let s = from; s <= to; s++) {
      for (const unit of this.layout.units[s]) {
        const input = y
        y = tf.tidy(() => unit(ctx, input))
        if (input !== a) input.dispose()
      }
      const out = y
      if (pooled && this.layout.featureStages.includes(s))
        pooled.push(tf.tidy(() => out.mean([1, 2])))
    }
    return y
  }

  private checkImages(x: tf.Tensor4D): void {
    if (x.rank !== 4 || x.shape[3] !== 3) {
      throw new RangeError(`expected images [N, H, W, 3], got [${x.shape.join(', ')}]`)
    }
  }

  /**
   * Runs the stem and stages 0..`stage` (0-based; the last stage when left out) and returns
   * that stage's output [N, h, w, c].
   */
  stageOutput(x: tf.Tensor4D, options: ApplyOptions, stage?: number): tf.Tensor4D {
    const last = stage ?? this.stageCount - 1
    this.checkStage(last)
    this.checkImages(x)
    return this.runStages(x, this.context(options), 0, last)
  }

  /**
   * The pooled outputs of the feature stages before `stage`, concatenated [N, d] (what
   * logitsFromStage cannot derive from stage `stage`'s output), or null when there are none.
   */
  featuresBefore(x: tf.Tensor4D, options: ApplyOptions, stage: number): tf.Tensor2D | null {
    this.checkStage(stage)
    this.checkImages(x)
    if (!this.layout.featureStages.some((s) => s < stage)) return null
    const pooled: tf.Tensor2D[] = []
    this.runStages(x, this.context(options), 0, stage - 1, pooled).dispose()
    return concatFeatures(pooled)
  }

  /**
   * Continues a forward pass from the output of stage `stage`: the remaining stages, the
   * pooled features (`earlier` holding those of feature stages before `stage`, see
   * featuresBefore) and the AU head (rows laid out as for apply). Returns the logits
   * [N, auCount].
   */
  logitsFromStage(
    a: tf.Tensor4D,
    stage: number,
    options: ApplyOptions,
    earlier: tf.Tensor2D | null = null,
  ): tf.Tensor2D {
    this.checkStage(stage)
    if (this.layout.featureStages.some((s) => s < stage) !== (earlier !== null)) {
      throw new RangeError(`logits from stage ${stage} need the features of the stages before it`)
    }
    const ctx = this.context(options)
    return tf.tidy(() => {
      const pooled: tf.Tensor2D[] = earlier ? [earlier] : []
      if (this.layout.featureStages.includes(stage)) pooled.push(a.mean([1, 2]))
      const last = this.runStages(a, ctx, stage + 1, this.stageCount - 1, pooled)
      if (last !== a) last.dispose()
      // tf.concat, not concatFeatures: `earlier` is the caller's.
      return this.head(pooled.length === 1 ? pooled[0] : tf.concat(pooled, 1), options)
    })
  }

  /** Whether the AU head compares each frame with its clip's onset (see ApplyOptions). */
  get comparesWithOnset(): boolean {
    return comparesWithOnset(this.config)
  }

  /**
   * What the head reads: the pooled features, or with an onset comparison each row minus its
   * clip's onset row (see ApplyOptions.onsetRows).
   */
  headInput(features: tf.Tensor2D, options: ApplyOptions): tf.Tensor2D {
    if (!this.comparesWithOnset) return features
    const n = options.onsetRows
    const rows = features.shape[0]
    if (n === undefined || !Number.isInteger(n) || n < 1 || rows % n !== 0) {
      throw new RangeError(
        `this model compares each frame with its clip's onset: expected rows in blocks of ` +
          `onsetRows clips ending with the onset frames, got ${rows} rows, onsetRows ${n}`,
      )
    }
    return tf.tidy(() => {
      const onset = features.slice([rows - n, 0], [n, features.shape[1]])
      return features.sub(tf.tile(onset, [rows / n, 1]))
    })
  }

  private head(features: tf.Tensor2D, options: ApplyOptions): tf.Tensor2D {
    const kernel = this.params.get(parameterName(AU_HEAD, 'kernel'))
    const bias = this.params.get(parameterName(AU_HEAD, 'bias'))
    return this.headInput(features, options)
      .matMul(kernel as tf.Tensor2D)
      .add(bias)
  }

  /**
   * Full forward pass: pooled features, AU logits and the last stage output. Every call in
   * training mode updates the batch-norm moving statistics once, as every call of a Keras
   * model does; feed onset, apex and close-to-apex frames as one concatenated batch to
   * update them once per step.
   */
  apply(x: tf.Tensor4D, options: ApplyOptions): ModelOutputs {
    this.checkImages(x)
    const pooled: tf.Tensor2D[] = []
    const lastStage = this.runStages(x, this.context(options), 0, this.stageCount - 1, pooled)
    return tf.tidy(() => {
      const features = concatFeatures(pooled)
      return { features, logits: this.head(features, options), lastStage }
    })
  }

  /** Frees every weight. */
  dispose(): void {
    this.params.dispose()
  }
}
