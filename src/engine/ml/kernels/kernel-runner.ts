import { tf } from '../tf'

type TensorInfo = tf.TensorInfo

/**
 * Calls a backend's own registered kernels directly on TensorInfos, the way tfjs kernels
 * compose each other: no engine bookkeeping, no gradient tape, no Tensor objects. Every
 * result is an intermediate owned by the runner and freed by `dispose()` unless `keep()`
 * hands it to the caller (a kernel returns exactly one kept result to the engine).
 */
export class KernelRunner {
  private readonly owned: TensorInfo[] = []

  /**
   * @param backend the backend instance a kernel function received
   * @param backendName the name its kernels are registered under ('wasm', 'cpu', …)
   */
  constructor(
    readonly backend: tf.KernelBackend,
    readonly backendName: string,
  ) {}

  /** Runs kernel `name` and owns its single output. */
  run(name: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): TensorInfo {
    const config = tf.getKernel(name, this.backendName)
    if (config === undefined) {
      throw new Error(`kernel '${name}' is not registered for backend '${this.backendName}'`)
    }
    const out = config.kernelFunc({ inputs, attrs, backend: this.backend })
    if (Array.isArray(out)) {
      throw new Error(`kernel '${name}' returned ${out.length} outputs where one was expected`)
    }
    this.owned.push(out)
    return out
  }

  /** [..] → same data, new shape (no copy on wasm or cpu). */
  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape })
  }

  /** Permutes the axes of `x` (a copy). */
  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm })
  }

  /** Zero padding, `paddings[i] = [before, after]` for axis i. */
  pad(x: TensorInfo, paddings: [number, number][]): TensorInfo {
    return this.run('PadV2', { x }, { paddings, constantValue: 0 })
  }

  /** A box of `x`: `size[i]` elements from `begin[i]`. */
  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    return this.run('Slice', { x }, { begin, size })
  }

  /** 2-D product a·b of rank-2 infos, as the rank-3 BatchMatMul kernel wants it. */
  matMul(a: TensorInfo, b: TensorInfo): TensorInfo {
    const [m, k] = a.shape
    const n = b.shape[1]
    const out = this.run(
      'BatchMatMul',
      { a: this.reshape(a, [1, m, k]), b: this.reshape(b, [1, k, n]) },
      { transposeA: false, transposeB: false },
    )
    return this.reshape(out, [m, n])
  }

  /** Forward NHWC conv (TF cross-correlation) with `pad` as tfjs conv ops take it. */
  conv2d(
    x: TensorInfo,
    filter: TensorInfo,
    strides: [number, number],
    dilations: [number, number],
    pad: tf.backend_util.ExplicitPadding | 'valid',
  ): TensorInfo {
    return this.run('Conv2D', { x, filter }, { strides, dilations, pad, dataFormat: 'NHWC' })
  }

  /** Forward NHWC depthwise conv, filter [fh, fw, c, multiplier]. */
  depthwiseConv2d(
    x: TensorInfo,
    filter: TensorInfo,
    strides: [number, number],
    dilations: [number, number],
    pad: tf.backend_util.ExplicitPadding | 'valid',
  ): TensorInfo {
    return this.run(
      'DepthwiseConv2dNative',
      { x, filter },
      { strides, dilations, pad, dataFormat: 'NHWC' },
    )
  }

  /** Joins infos along `axis`. */
  concat(infos: TensorInfo[], axis: number): TensorInfo {
    // The Concat kernel takes its inputs as an array, not a name map.
    return this.run('Concat', infos as unknown as tf.NamedTensorInfoMap, { axis })
  }

  /** Elementwise product with broadcasting. */
  multiply(a: TensorInfo, b: TensorInfo): TensorInfo {
    return this.run('Multiply', { a, b })
  }

  /** A float32 array of `shape` holding `value` everywhere. */
  fill(shape: number[], value: number): TensorInfo {
    return this.run('Fill', {}, { shape, value, dtype: 'float32' })
  }

  /** Average pooling over [fh, fw] windows, NHWC. */
  avgPool(x: TensorInfo, filterSize: [number, number], strides: [number, number]): TensorInfo {
    return this.run('AvgPool', { x }, { filterSize, strides, pad: 'valid' })
  }

  /** Elementwise a + b with broadcasting. */
  add(a: TensorInfo, b: TensorInfo): TensorInfo {
    return this.run('Add', { a, b })
  }

  /** Sum over `axis`. */
  sum(x: TensorInfo, axis: number[]): TensorInfo {
    return this.run('Sum', { x }, { axis, keepDims: false })
  }

  /** Takes ownership of `info`, made by a kernel function called directly. */
  adopt(info: TensorInfo): TensorInfo {
    this.owned.push(info)
    return info
  }

  /** Whether `info` is an intermediate of this runner. */
  owns(info: TensorInfo): boolean {
    return this.owned.includes(info)
  }

  /** Takes `info` out of the runner's care: the caller now owns it. */
  keep(info: TensorInfo): TensorInfo {
    const i = this.owned.lastIndexOf(info)
    if (i >= 0) this.owned.splice(i, 1)
    return info
  }

  /** Frees every intermediate not kept. */
  dispose(): void {
    for (const info of this.owned) this.backend.disposeData(info.dataId)
    this.owned.length = 0
  }
}

/** Input `name` of a kernel call, which the kernel's signature requires. */
export function input(inputs: tf.NamedTensorInfoMap, name: string): TensorInfo {
  const info = inputs[name]
  if (info === undefined) throw new Error(`kernel input '${name}' is missing`)
  return info
}

/**
 * Runs `body` with a fresh runner and returns its result kept; all other intermediates are
 * freed, also when `body` throws.
 */
export function withRunner(
  backend: tf.KernelBackend,
  backendName: string,
  body: (k: KernelRunner) => TensorInfo,
): TensorInfo {
  const runner = new KernelRunner(backend, backendName)
  try {
    const out = body(runner)
    // The engine must receive data it owns: an input passed through gets its own reference.
    return runner.keep(runner.owns(out) ? out : runner.reshape(out, out.shape))
  } finally {
    runner.dispose()
  }
}
