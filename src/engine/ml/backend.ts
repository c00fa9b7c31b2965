/**
 * Picks the tensor backend the engine runs on, and says why.
 *
 * Order: @tensorflow/tfjs-node-gpu (CUDA), @tensorflow/tfjs-node (native CPU), then the JS
 * backends wasm (XNNPACK, SIMD, optional threads) and cpu. The two native packages are
 * optionalDependencies whose install downloads libtensorflow: when it could not, they are
 * absent, which is a normal outcome reported with the command that installs them.
 */
import { createRequire } from 'node:module'
import path from 'node:path'
import type * as WasmPackage from '@tensorflow/tfjs-backend-wasm'
import { AppError } from '../../shared/errors'
import { registerTrainingKernels } from './kernels'
import { createThreadedWasmBackend, threadedWasmFiles } from './kernels/wasm-threaded-backend'
import { tf } from './tf'

/** The backends we know, in the order `auto` tries them. */
export const BACKEND_ORDER = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const

/** A backend MicroAU can run on. `tensorflow-gpu` and `tensorflow` are tfjs-node(-gpu). */
export type BackendName = (typeof BACKEND_ORDER)[number]

/** What the caller wants the backend for. */
export type BackendPurpose = 'training' | 'inference'

/** Options of `selectBackend`. */
export interface SelectBackendOptions {
  /** Try this backend first, then the others in the usual order. Default `auto`. */
  prefer?: 'auto' | BackendName
  /** Training needs gradient kernels; a backend lacking one is skipped. Default training. */
  purpose?: BackendPurpose
  /**
   * XNNPACK threads of the wasm backend (the calling thread included). 1 loads the stock
   * single-threaded SIMD build; more loads the pthreads build (./kernels/wasm-threaded-
   * backend). Default 1 (see DEFAULT_WASM_THREADS). Read once: the wasm module cannot be
   * reloaded with another count in the same process.
   */
  wasmThreads?: number
}

/** One backend that `selectBackend` considered. */
export interface BackendAttempt {
  name: BackendName
  ok: boolean
  reason: string
}

/** Which backend runs and why, with the fate of every other one. */
export interface BackendReport {
  /** The backend now active in `tf`. */
  name: BackendName
  /** Why it was chosen / what it is. */
  reason: string
  /** Every backend in try order; the ones after the chosen one were not tried. */
  attempts: BackendAttempt[]
  /** Threads doing tensor work (native backends: as TensorFlow decides, reported 0). */
  threads: number
}

/** Kernels a training step of our models dispatches beyond inference. */
const GRADIENT_KERNELS = [
  tf.Conv2DBackpropFilter,
  tf.Conv2DBackpropInput,
  tf.MaxPoolGrad,
  tf.AvgPoolGrad,
  tf.Step,
] as const

const NATIVE_PACKAGE = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
} as const

const INSTALL_HINT = {
  'tensorflow-gpu':
    'npm install @tensorflow/tfjs-node-gpu (needs an NVIDIA GPU with CUDA 11.x / cuDNN 8)',
  tensorflow: 'npm install @tensorflow/tfjs-node (downloads libtensorflow on install)',
} as const

const load = createRequire(import.meta.url)

class Unavailable extends Error {}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.split('\n')[0]
}

function isNotFound(error: unknown, pkg: string): boolean {
  return (
    error instanceof Error &&
    (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' &&
    error.message.includes(pkg)
  )
}

function packageVersion(packageJson: string): string {
  return (load(packageJson) as { version: string }).version
}

/** The error of the last backend factory that threw, which tf.setBackend only logs. */
let lastInitError: string | undefined

async function activate(tfName: string): Promise<void> {
  if (!(await tf.setBackend(tfName))) {
    throw new Unavailable(`tf.setBackend('${tfName}') failed: ${lastInitError ?? 'see log'}`)
  }
}

/** Throws when training is wanted and `tfName` lacks a gradient kernel our models use. */
function requireKernels(tfName: string, purpose: BackendPurpose): void {
  if (purpose !== 'training') return
  const missing = GRADIENT_KERNELS.filter((name) => tf.getKernel(name, tfName) === undefined)
  if (missing.length > 0) throw new Unavailable(`lacks training kernels: ${missing.join(', ')}`)
}

interface Selected {
  reason: string
  threads: number
}

async function tryNative(
  name: 'tensorflow-gpu' | 'tensorflow',
  purpose: BackendPurpose,
): Promise<Selected> {
  const pkg = NATIVE_PACKAGE[name]
  let packageJson: string
  try {
    packageJson = load.resolve(`${pkg}/package.json`)
  } catch (error) {
    if (isNotFound(error, pkg)) throw new Unavailable(`module not installed: ${INSTALL_HINT[name]}`)
    throw error
  }
  // Both packages register a backend named 'tensorflow' (and load libtensorflow): the first
  // one loaded in a process is the only one it can have.
  if (tf.findBackendFactory('tensorflow') === null) {
    try {
      load(pkg)
    } catch (error) {
      throw new Unavailable(`installed but failed to load: ${firstLine(error)}`)
    }
  }
  // They register into the @tensorflow/tfjs they require. tfjs-core keeps its engine and
  // kernel registry on globalThis, so even a nested copy lands in our `tf`; a copy of
  // another version would still run its own op code, hence the dedupe warning below.
  if (tf.findBackendFactory('tensorflow') === null) {
    throw new Unavailable(`${pkg} loaded but registered no 'tensorflow' backend in our tfjs`)
  }
  const native = tf.findBackend('tensorflow') as {
    isGPUPackage?: boolean
    isUsingGpuDevice?: boolean
  }
  if (native.isGPUPackage !== (name === 'tensorflow-gpu')) {
    const other = NATIVE_PACKAGE[name === 'tensorflow' ? 'tensorflow-gpu' : 'tensorflow']
    throw new Unavailable(`${other} is already loaded in this process`)
  }
  requireKernels('tensorflow', purpose)
  await activate('tensorflow')
  const parts = [`${pkg} ${packageVersion(packageJson)}, TensorFlow C library`]
  if (name === 'tensorflow-gpu') {
    parts.push(
      native.isUsingGpuDevice ? 'CUDA' : 'no CUDA device found: TensorFlow runs on the CPU',
    )
  }
  const theirCore = load.resolve('@tensorflow/tfjs-core/package.json', {
    paths: [path.dirname(packageJson)],
  })
  const ourCore = load.resolve('@tensorflow/tfjs-core/package.json')
  if (theirCore !== ourCore) {
    parts.push(
      `warning: it uses its own @tensorflow/tfjs-core ${packageVersion(theirCore)} ` +
        `(ours ${packageVersion(ourCore)}); run npm dedupe`,
    )
  }
  return { reason: parts.join('; '), threads: 0 }
}

/** Threads of the wasm module once created. */
let wasmThreadsLoaded: number | undefined

/**
 * The single-threaded build unless asked otherwise. The pthreads build works (see
 * ./kernels/wasm-threaded-backend) and a large conv runs 1.6× faster on 2 threads, but a
 * training step of our small SE-ResNet makes over a thousand mostly small kernel calls, and
 * in the pthreads build each one hands work to the XNNPACK pool through shared-memory waits:
 * on this 2-vCPU machine the step took 500 ms on 2 threads against 260 ms on 1
 * (bench/results/kernels.md), elementwise kernels 3–5× slower. Large inputs may gain: the
 * `wasmThreads` option turns it on.
 */
const DEFAULT_WASM_THREADS = 1

async function tryWasm(requested: number, purpose: BackendPurpose): Promise<Selected> {
  let wasm: typeof WasmPackage
  try {
    wasm = await import('@tensorflow/tfjs-backend-wasm')
  } catch (error) {
    if (isNotFound(error, 'tfjs-backend-wasm')) {
      throw new Unavailable('module not installed: npm install @tensorflow/tfjs-backend-wasm')
    }
    throw new Unavailable(`failed to load: ${firstLine(error)}`)
  }
  if (wasmThreadsLoaded === undefined && tf.engine().registry.wasm !== undefined) {
    // Someone started the stock backend already; replacing it would free its tensors.
    wasmThreadsLoaded = wasm.getThreadsCount()
  }
  if (wasmThreadsLoaded === undefined) {
    const threads = Math.max(1, Math.min(8, Math.floor(requested)))
    const root = path.dirname(load.resolve('@tensorflow/tfjs-backend-wasm/package.json'))
    // The stock loader finds the .wasm next to its script, which a bundler moves; point it
    // at the package so it loads offline from node_modules.
    wasm.setWasmPaths(path.join(root, 'dist') + path.sep)
    const stock = tf.findBackendFactory('wasm')
    const create =
      threads > 1
        ? () => createThreadedWasmBackend(wasm, threadedWasmFiles(root), threads)
        : async () => stock()
    tf.removeBackend('wasm')
    tf.registerBackend('wasm', async () => {
      try {
        return await create()
      } catch (error) {
        lastInitError = firstLine(error)
        throw error
      }
    })
    wasmThreadsLoaded = threads
  }
  registerTrainingKernels('wasm')
  requireKernels('wasm', purpose)
  await activate('wasm')
  const threads = wasm.getThreadsCount()
  const build = threads > 1 ? `pthreads build, ${threads} threads` : 'single-threaded build'
  return { reason: `XNNPACK + SIMD, ${build}; MicroAU kernels registered`, threads }
}

async function tryCpu(purpose: BackendPurpose): Promise<Selected> {
  registerTrainingKernels('cpu')
  requireKernels('cpu', purpose)
  await activate('cpu')
  return { reason: 'plain JavaScript kernels (slowest); MicroAU kernels registered', threads: 1 }
}

function tryBackend(name: BackendName, options: Required<SelectBackendOptions>): Promise<Selected> {
  if (name === 'cpu') return tryCpu(options.purpose)
  if (name === 'wasm') return tryWasm(options.wasmThreads, options.purpose)
  return tryNative(name, options.purpose)
}

/**
 * Activates the best available backend (or the preferred one when it works) and reports
 * which one runs and why each other one does not.
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendReport> {
  const settings: Required<SelectBackendOptions> = {
    prefer: options.prefer ?? 'auto',
    purpose: options.purpose ?? 'training',
    wasmThreads: options.wasmThreads ?? DEFAULT_WASM_THREADS,
  }
  const order: BackendName[] =
    settings.prefer === 'auto'
      ? [...BACKEND_ORDER]
      : [settings.prefer, ...BACKEND_ORDER.filter((name) => name !== settings.prefer)]
  const attempts: BackendAttempt[] = []
  let chosen: { name: BackendName; reason: string; threads: number } | undefined
  for (const name of order) {
    if (chosen !== undefined) {
      attempts.push({ name, ok: false, reason: `not tried: ${chosen.name} was selected first` })
      continue
    }
    lastInitError = undefined
    try {
      const { reason, threads } = await tryBackend(name, settings)
      chosen = { name, reason, threads }
      attempts.push({ name, ok: true, reason })
    } catch (error) {
      const reason = error instanceof Unavailable ? error.message : `failed: ${firstLine(error)}`
      attempts.push({ name, ok: false, reason })
    }
  }
  if (chosen === undefined) {
    throw new AppError(
      'missing_dependency',
      `No tensor backend works: ${attempts.map((a) => `${a.name}: ${a.reason}`).join('; ')}`,
      { attempts },
    )
  }
  return { ...chosen, attempts }
}
