import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { AuModel } from '../../model/au-model'
import type { NamedArrays, StepWorkerReply, StepWorkerRequest } from './protocol'

type Reply<T extends StepWorkerReply['type']> = Extract<StepWorkerReply, { type: T }>

/**
 * How a worker thread starts, matching the running code: from the compiled CLI (out/cli,
 * every file flat beside `step-worker.js`, built by vite.cli.config.ts) the compiled entry;
 * from the TypeScript sources (tests, benches, tsx) `worker-main.ts` through tsx's
 * `tsImport`. The Electron bundle has no step-worker entry yet, so the app trains in one
 * thread there.
 */
function workerUrl(): URL {
  if (!import.meta.filename.endsWith('.ts')) {
    return pathToFileURL(path.join(import.meta.dirname, 'step-worker.js'))
  }
  const entry = pathToFileURL(path.join(import.meta.dirname, 'worker-main.ts'))
  const tsxRoot = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'))
  const api = pathToFileURL(path.join(tsxRoot, 'dist/esm/api/index.mjs')).href
  const boot =
    `const { tsImport } = await import(${JSON.stringify(api)});` +
    `await tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(import.meta.url)})`
  return new URL('data:text/javascript,' + encodeURIComponent(boot))
}

/** One worker thread and its queue of answers (it answers requests in order). */
class StepWorker {
  private readonly waiting: {
    resolve: (r: StepWorkerReply) => void
    reject: (e: Error) => void
  }[] = []
  private failure: Error | null = null

  constructor(private readonly worker: Worker) {
    worker.on('message', (reply: StepWorkerReply) => {
      const next = this.waiting.shift()
      if (!next) return
      if (reply.type === 'error') next.reject(new Error(`step worker: ${reply.message}`))
      else next.resolve(reply)
    })
    const fail = (error: Error) => {
      this.failure = error
      for (const w of this.waiting.splice(0)) w.reject(error)
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`step worker exited (code ${code})`)))
  }

  /** Sends a request and resolves with its answer. */
  ask<T extends StepWorkerReply['type']>(request: StepWorkerRequest): Promise<Reply<T>> {
    if (this.failure) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve: resolve as (r: StepWorkerReply) => void, reject })
      this.worker.postMessage(request)
    })
  }

  terminate(): Promise<number> {
    return this.worker.terminate()
  }
}

/** What a worker's forward pass of one micro-batch gives back. */
export type ForwardReply = Reply<'forward'>

/**
 * Worker threads that run micro-batches of the cached-gradient step in parallel, each
 * with its own wasm backend and its own copy of the model (parameters copied every step).
 * Micro-batch k goes to worker k mod size.
 */
export class StepWorkerPool {
  private constructor(private readonly workers: StepWorker[]) {}

  /** Starts `size` workers with a model of `model`'s configuration and AUs. */
  static async start(size: number, model: AuModel): Promise<StepWorkerPool> {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`${size} step workers`)
    const url = workerUrl()
    const pool = new StepWorkerPool(
      Array.from({ length: size }, () => new StepWorker(new Worker(url))),
    )
    try {
      await Promise.all(
        pool.workers.map((w) =>
          w.ask({ type: 'init', config: model.config, auList: [...model.auList] }),
        ),
      )
    } catch (error) {
      await pool.close()
      throw error
    }
    return pool
  }

  /** Number of worker threads. */
  get size(): number {
    return this.workers.length
  }

  /** Copies every weight of `model` to every worker (once per step). */
  async setParameters(model: AuModel): Promise<void> {
    const values: NamedArrays = model.params
      .entries()
      .map(([name, v]) => [name, v.dataSync() as Float32Array])
    await Promise.all(this.workers.map((w) => w.ask({ type: 'parameters', values })))
  }

  private of(part: number): StepWorker {
    return this.workers[part % this.workers.length]
  }

  /** Step 1 on micro-batch `part` (its pre-processed input, [n, h, w, 3]). */
  forward(
    part: number,
    input: Float32Array,
    shape: [number, number, number, number],
    training: boolean,
  ): Promise<ForwardReply> {
    return this.of(part).ask<'forward'>({ type: 'forward', part, input, shape, training })
  }

  /** Step 3 on micro-batch `part`: its parameter gradients by name. */
  async backward(
    part: number,
    dFeatures: Float32Array,
    dLogits: Float32Array,
  ): Promise<NamedArrays> {
    const reply = await this.of(part).ask<'backward'>({
      type: 'backward',
      part,
      dFeatures,
      dLogits,
    })
    return reply.grads
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()))
  }
}
