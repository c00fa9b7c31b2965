/**
 * The kernels MicroAU registers on top of the tfjs JS backends, and the switch that installs
 * or removes them. See each module for the measurements behind its existence.
 */
import { tf } from '../tf'
import { batchNormConfig } from './batch-norm'
import { conv2dBackpropFilterConfig, conv2dBackpropInputConfig } from './conv2d-backprop'
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise-backprop'
import { fusedBatchNormGradient, meanGradient, sumGradient } from './gradients'
import { batchMatMulConfig, fusedMatMulConfig } from './matmul-guard'
import { cpuMaxPoolGradConfig, wasmMaxPoolGradConfig } from './max-pool-grad'
import { meanConfig, sumConfig } from './reductions'
import { castConfig, identityConfig } from './sharing'
import { tileConfig } from './tile'

/** The JS backends these kernels serve. */
export type JsBackendName = 'wasm' | 'cpu'

/** One kernel we register, and why. */
export interface KernelOverride {
  kernelName: string
  /** absent: the backend had none; faster: replaces a slow one; fixed: replaces a wrong one. */
  kind: 'absent' | 'faster' | 'fixed'
  make: (stock: tf.KernelConfig | undefined) => tf.KernelConfig
}

function needsStock(
  make: (stock: tf.KernelConfig) => tf.KernelConfig,
): (stock: tf.KernelConfig | undefined) => tf.KernelConfig {
  return (stock) => {
    if (stock === undefined) throw new Error('the stock kernel this one wraps is not registered')
    return make(stock)
  }
}

/**
 * Per backend, the kernels registered. wasm: see each module. cpu: three of its gradient
 * kernels, which read and write through TensorBuffer.get/set per element, measured 1.6× (the
 * depthwise input gradient) to ≈ 50× (a 3×3 filter gradient of 16 × 32 × 32 × 16: 9 s against
 * 0.19 s) slower than these; its Conv2DBackpropInput and depthwise filter gradient stay,
 * faster than compositions of its JS kernels.
 */
export const KERNEL_OVERRIDES: Record<JsBackendName, readonly KernelOverride[]> = {
  wasm: [
    {
      kernelName: tf.Conv2DBackpropFilter,
      kind: 'absent',
      make: () => conv2dBackpropFilterConfig('wasm'),
    },
    {
      kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
      kind: 'absent',
      make: () => depthwiseBackpropFilterConfig('wasm'),
    },
    {
      kernelName: tf.DepthwiseConv2dNativeBackpropInput,
      kind: 'absent',
      make: () => depthwiseBackpropInputConfig('wasm'),
    },
    { kernelName: tf.MaxPoolGrad, kind: 'fixed', make: () => wasmMaxPoolGradConfig() },
    { kernelName: tf.BatchMatMul, kind: 'fixed', make: needsStock(batchMatMulConfig) },
    { kernelName: tf._FusedMatMul, kind: 'fixed', make: needsStock(fusedMatMulConfig) },
    {
      kernelName: tf.Conv2DBackpropInput,
      kind: 'faster',
      make: () => conv2dBackpropInputConfig('wasm'),
    },
    { kernelName: tf.Tile, kind: 'faster', make: needsStock(tileConfig) },
    { kernelName: tf.Sum, kind: 'faster', make: needsStock(sumConfig) },
    { kernelName: tf.Mean, kind: 'faster', make: needsStock(meanConfig) },
    { kernelName: tf.FusedBatchNorm, kind: 'faster', make: () => batchNormConfig() },
    { kernelName: tf.Identity, kind: 'faster', make: () => identityConfig() },
    { kernelName: tf.Cast, kind: 'faster', make: needsStock(castConfig) },
  ],
  cpu: [
    {
      kernelName: tf.Conv2DBackpropFilter,
      kind: 'faster',
      make: () => conv2dBackpropFilterConfig('cpu'),
    },
    {
      kernelName: tf.DepthwiseConv2dNativeBackpropInput,
      kind: 'faster',
      make: () => depthwiseBackpropInputConfig('cpu'),
    },
    { kernelName: tf.MaxPoolGrad, kind: 'faster', make: () => cpuMaxPoolGradConfig() },
  ],
}

/**
 * Gradients installed with the kernels of either backend. tfjs keeps one gradient per kernel
 * name for all backends; these compute tfjs-core's formulas with fewer passes over the data
 * and without JavaScript-built `ones` tensors (./gradients).
 */
export const GRADIENT_OVERRIDES: readonly tf.GradConfig[] = [
  sumGradient,
  meanGradient,
  fusedBatchNormGradient,
]

/** tfjs-core's gradients our registration replaced. */
const replacedGradients = new Map<string, tf.GradConfig>()
/** Backends whose kernels are installed; the gradients stay while any is. */
const backendsInstalled = new Set<JsBackendName>()

/** Kernels our registration replaced, by `backend/kernel`, to put back on `restoreKernels`. */
const replaced = new Map<string, tf.KernelConfig>()
/** Kernels we registered, by `backend/kernel`. */
const installed = new Set<string>()

/**
 * Registers the MicroAU kernels for `backendName` (idempotent), replacing any kernel of the
 * same name; returns their names. Works before or after the backend is initialised: every
 * replacement keeps the setup function of the kernel it wraps.
 */
export function registerTrainingKernels(backendName: JsBackendName): string[] {
  for (const override of KERNEL_OVERRIDES[backendName]) {
    const key = `${backendName}/${override.kernelName}`
    if (installed.has(key)) continue
    const stock = tf.getKernel(override.kernelName, backendName)
    const config = override.make(stock)
    if (stock !== undefined) {
      replaced.set(key, stock)
      tf.unregisterKernel(override.kernelName, backendName)
    }
    tf.registerKernel(config)
    installed.add(key)
  }
  if (backendsInstalled.size === 0) {
    for (const gradient of GRADIENT_OVERRIDES) {
      const stock = tf.getGradient(gradient.kernelName)
      if (stock !== undefined) replacedGradients.set(gradient.kernelName, stock)
      tf.registerGradient(gradient)
    }
  }
  backendsInstalled.add(backendName)
  return KERNEL_OVERRIDES[backendName].map((o) => o.kernelName)
}

/**
 * Removes the kernels `registerTrainingKernels` installed for `backendName` and puts back
 * the ones they replaced, and tfjs-core's gradients once no backend has ours (benchmarks
 * compare both; tests check both).
 */
export function restoreKernels(backendName: JsBackendName): void {
  for (const { kernelName } of KERNEL_OVERRIDES[backendName]) {
    const key = `${backendName}/${kernelName}`
    if (!installed.delete(key)) continue
    tf.unregisterKernel(kernelName, backendName)
    const original = replaced.get(key)
    if (original !== undefined) {
      tf.registerKernel(original)
      replaced.delete(key)
      // An original registered after its backend started never ran its setup (wasm cwraps).
      const backend = tf.engine().registry[backendName]
      if (backend !== undefined) original.setupFunc?.(backend)
    }
  }
  backendsInstalled.delete(backendName)
  if (backendsInstalled.size === 0) {
    for (const [kernelName, stock] of replacedGradients) {
      tf.unregisterGradient(kernelName)
      tf.registerGradient(stock)
    }
    replacedGradients.clear()
  }
}
