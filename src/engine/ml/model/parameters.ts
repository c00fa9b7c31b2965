import { tf } from '../tf'
import { parameterName, type LayerSpec, type WeightSpec } from './architecture'

// Keras' he_normal draws from a normal truncated at 2σ, whose spread is 0.8796 of σ.
const TRUNCATED_NORMAL_STDDEV_FACTOR = 0.8796256610342398

function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1)
  return {
    fanIn: receptive * shape[shape.length - 2],
    fanOut: receptive * shape[shape.length - 1],
  }
}

function initialValue(spec: WeightSpec, seed: number | undefined): tf.Tensor {
  const shape = [...spec.shape]
  switch (spec.initializer) {
    case 'zeros':
      return tf.zeros(shape)
    case 'ones':
      return tf.ones(shape)
    case 'he_normal': {
      const { fanIn } = fans(shape)
      const stddev = Math.sqrt(2 / fanIn) / TRUNCATED_NORMAL_STDDEV_FACTOR
      return tf.truncatedNormal(shape, 0, stddev, 'float32', seed)
    }
    case 'glorot_uniform': {
      const { fanIn, fanOut } = fans(shape)
      const limit = Math.sqrt(6 / (fanIn + fanOut))
      return tf.randomUniform(shape, -limit, limit, 'float32', seed)
    }
  }
}

/**
 * The weights of a model as named tf.Variables (`<layer>/<weight>`, Keras names). Trainable
 * weights are variables with `trainable = true`; batch-norm moving statistics are
 * non-trainable variables that the forward pass updates in training mode.
 */
export class ParameterStore {
  private constructor(private readonly variables: Map<string, tf.Variable>) {}

  /**
   * Creates the variables of `layers` with their initialisers. A seed makes the values
   * reproducible (weight k of the list is drawn with seed + k).
   */
  static initialise(layers: readonly LayerSpec[], seed?: number): ParameterStore {
    const variables = new Map<string, tf.Variable>()
    let k = 0
    for (const layer of layers) {
      for (const w of layer.weights) {
        const name = parameterName(layer.name, w.name)
        if (variables.has(name)) throw new Error(`duplicate parameter ${name}`)
        const drawSeed = seed === undefined ? undefined : seed + k
        k += 1
        const value = initialValue(w, drawSeed)
        variables.set(name, tf.variable(value, w.trainable))
        value.dispose()
      }
    }
    return new ParameterStore(variables)
  }

  /**
   * Creates the variables of `layers` from given values (e.g. decoded from a saved model).
   * Throws a RangeError naming every parameter that is missing or has another shape.
   */
  static fromTensors(
    layers: readonly LayerSpec[],
    values: Readonly<Record<string, tf.Tensor>>,
  ): ParameterStore {
    const problems: string[] = []
    for (const layer of layers) {
      for (const w of layer.weights) {
        const name = parameterName(layer.name, w.name)
        const value = values[name]
        if (!value) problems.push(`${name} is missing`)
        else if (value.shape.join(',') !== w.shape.join(',') || value.dtype !== 'float32') {
          problems.push(
            `${name} is ${value.dtype} [${value.shape.join(', ')}], expected float32 [${w.shape.join(', ')}]`,
          )
        }
      }
    }
    if (problems.length > 0) throw new RangeError(problems.join('; '))
    const variables = new Map<string, tf.Variable>()
    for (const layer of layers) {
      for (const w of layer.weights) {
        const name = parameterName(layer.name, w.name)
        variables.set(name, tf.variable(values[name], w.trainable))
      }
    }
    return new ParameterStore(variables)
  }

  /** The variable called `name`; throws when the model has none of that name. */
  get(name: string): tf.Variable {
    const v = this.variables.get(name)
    if (!v) throw new Error(`no parameter named ${name}`)
    return v
  }

  /** Parameter names in creation (Keras) order. */
  names(): string[] {
    return [...this.variables.keys()]
  }

  /** Name and variable pairs in creation order. */
  entries(): [string, tf.Variable][] {
    return [...this.variables.entries()]
  }

  /** The variables an optimiser should update. */
  trainableVariables(): tf.Variable[] {
    return [...this.variables.values()].filter((v) => v.trainable)
  }

  /**
   * Overwrites the value of `name` with `values` (row-major, in the variable's shape).
   * Throws when the number of values does not match.
   */
  assign(name: string, values: Float32Array): void {
    const v = this.get(name)
    if (values.length !== v.size) {
      throw new Error(`parameter ${name} holds ${v.size} values, got ${values.length}`)
    }
    tf.tidy(() => v.assign(tf.tensor(values, v.shape, 'float32')))
  }

  /** Frees every variable. */
  dispose(): void {
    for (const v of this.variables.values()) v.dispose()
    this.variables.clear()
  }
}
