/**
 * The multi-threaded (pthreads + SIMD) build of the tfjs wasm backend, loaded in Node.
 *
 * tfjs-backend-wasm 4.22 never uses this build in Node: its WASM_HAS_MULTITHREAD_SUPPORT
 * flag answers false there (tensorflow/tfjs#3830), and forcing the flag fails with
 * ERR_WORKER_PATH because its loader hands emscripten the pthread worker as a `blob:` URL
 * (URL.createObjectURL) and the main script as a Blob, while Node's worker_threads accept
 * only file paths and `file:`/`data:` URL objects, and the worker's importScripts shim reads
 * the main script with fs.readFileSync. This loader calls the same emscripten factory
 * (wasm-out/tfjs-backend-wasm-threaded-simd.js) with three settings of its own:
 * - `locateFile` gives the pthread worker as a `data:` URL object: a small ES module that
 *   builds `require` with createRequire and runs the package's own worker source;
 * - `mainScriptUrlOrBlob` is the factory script's file path, which that worker source loads;
 * - `instantiateWasm` compiles the threaded binary with the `emscripten_num_logical_cores`
 *   import answering 2 × the wanted threads, because the C++ side caps its XNNPACK pool at
 *   half the logical cores (it assumes two hyper-threads per core): on a 2-core machine the
 *   stock build would run one thread.
 * Emscripten pre-spawns 8 workers (its PTHREAD_POOL_SIZE) and unrefs the idle ones; the ones
 * XNNPACK's thread pool runs on are unreferenced here.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type * as WasmPackage from '@tensorflow/tfjs-backend-wasm'
import type { tf } from '../tf'

type WasmModule = ConstructorParameters<typeof WasmPackage.BackendWasm>[0]

/** The import object of a wasm module: module name → import name → value. */
type Imports = Record<string, Record<string, unknown>>

/** The part of the WebAssembly JS API used here (the Node typings here lack it). */
interface WebAssemblyApi {
  instantiate(binary: Uint8Array, imports: Imports): Promise<{ instance: object; module: object }>
}

/** What this loader passes to the emscripten factory (the subset it uses). */
interface FactoryConfig {
  locateFile(file: string, prefix: string): string | URL
  mainScriptUrlOrBlob: string
  instantiateWasm(imports: Imports, receive: (instance: object, module: object) => void): object
}

/** The module before tfjs's `tfjs` bridge is attached. */
interface RawModule {
  cwrap(name: string, returns: string | null, args: string[]): (...args: number[]) => number
  PThread: { runningWorkers: { unref(): void }[] }
}

/** Files of the threaded build inside the installed package. */
export interface ThreadedWasmFiles {
  /** emscripten factory script (CommonJS). */
  factoryScript: string
  /** module exporting `wasmWorkerContents`, the pthread worker source. */
  workerScript: string
  /** the threaded SIMD binary. */
  binary: string
}

/** Locates the threaded build's files from the package root. */
export function threadedWasmFiles(packageRoot: string): ThreadedWasmFiles {
  return {
    factoryScript: path.join(packageRoot, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js'),
    workerScript: path.join(packageRoot, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js'),
    binary: path.join(packageRoot, 'dist', 'tfjs-backend-wasm-threaded-simd.wasm'),
  }
}

/** The pthread worker as an ES module in a `data:` URL (see the file comment). */
function workerUrl(files: ThreadedWasmFiles): URL {
  const load = createRequire(import.meta.url)
  const { wasmWorkerContents } = load(files.workerScript) as { wasmWorkerContents: string }
  // The package keeps the source in a template literal, so its "\n" escapes arrived as real
  // newlines inside string literals; tfjs's own loader undoes it the same way.
  const source = wasmWorkerContents.split('\n').join('\\n')
  const module = [
    "import { createRequire } from 'node:module'",
    `const main = ${JSON.stringify(files.factoryScript)}`,
    `new Function('require', '__filename', ${JSON.stringify(source)})(createRequire(main), main)`,
  ].join('\n')
  return new URL(`data:text/javascript,${encodeURIComponent(module)}`)
}

/**
 * Creates the threaded wasm backend with `threads` XNNPACK threads (the calling thread
 * included). `wasm` is the already imported @tensorflow/tfjs-backend-wasm package, whose
 * BackendWasm class and kernels this backend uses.
 */
export async function createThreadedWasmBackend(
  wasm: typeof WasmPackage,
  files: ThreadedWasmFiles,
  threads: number,
): Promise<tf.KernelBackend> {
  const load = createRequire(import.meta.url)
  const factory = load(files.factoryScript) as (config: FactoryConfig) => Promise<RawModule>
  const binary = readFileSync(files.binary)
  const worker = workerUrl(files)
  const raw = await new Promise<RawModule>((resolve, reject) => {
    factory({
      locateFile: (file) => (file.endsWith('.worker.js') ? worker : files.binary),
      mainScriptUrlOrBlob: files.factoryScript,
      instantiateWasm: (imports, receive) => {
        const env = { ...imports.env, emscripten_num_logical_cores: () => 2 * threads }
        const api = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly
        api
          .instantiate(binary, { ...imports, env })
          .then((result) => receive(result.instance, result.module), reject)
        // Emscripten's contract for an asynchronous instantiation: empty exports now.
        return {}
      },
    }).then(resolve, reject)
  })
  const bridged = Object.assign(raw, {
    tfjs: {
      init: raw.cwrap('init', null, []),
      initWithThreadsCount: raw.cwrap('init_with_threads_count', null, ['number']),
      getThreadsCount: raw.cwrap('get_threads_count', 'number', []),
      registerTensor: raw.cwrap('register_tensor', null, ['number', 'number', 'number']),
      disposeData: raw.cwrap('dispose_data', null, ['number']),
      dispose: raw.cwrap('dispose', null, []),
    },
  })
  wasm.setThreadsCount(threads)
  const backend = new wasm.BackendWasm(bridged as unknown as WasmModule)
  // The constructor started XNNPACK's pool threads, which live as long as the module and
  // which emscripten keeps referenced: Node would never exit. The main thread waits on them
  // through shared memory during kernels, not through the event loop, so unreferencing
  // them only lets the process end when nothing else is pending.
  for (const worker of raw.PThread.runningWorkers) worker.unref()
  return backend
}
