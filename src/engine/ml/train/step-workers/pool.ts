import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { AuModel } from '../../model/au-model'
import { BlockingSender } from './blocking-channel'
import { flatLayout, writeParameters, type FlatLayout } from './flat-parameters'
import type {
  CachedGradientsMessage,
  PartInput,
  PartOutputs,
  StepWorkerReply,
  StepWorkerRequest,
} from './protocol'

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

/**
 * One worker thread, its queue of answers (it answers requests in order, a step twice), the
 * channel that carries a step's cached gradients to it, and its shared gradient buffer.
 */
class StepWorker {
  private readonly waiting: {
    resolve: (r: StepWorkerReply) => void
    reject: (e: Error) => void
  }[] = []
  private failure: Error | null = null
  readonly cached = new BlockingSender<CachedGradientsMessage>()

  constructor(
    private readonly worker: Worker,
    readonly gradients: Float32Array,
  ) {
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

  /** Sends a request and returns a promise per answer it gets. */
  ask(request: StepWorkerRequest, answers = 1): Promise<StepWorkerReply>[] {
    const promises = Array.from({ length: answers }, () =>
      this.failure
        ? Promise.reject(this.failure)
        : new Promise<StepWorkerReply>((resolve, reject) => this.waiting.push({ resolve, reject })),
    )
    if (!this.failure) {
      const transfer = request.type === 'init' ? [request.channel.port] : []
      this.worker.postMessage(request, transfer)
    }
    return promises
  }

  async terminate(): Promise<void> {
    this.cached.close()
    await this.worker.terminate()
  }
}

/** A step under way on the pool: step 1's outputs, then step 3 once given the cached gradients. */
export interface PoolStep {
  /** Features, logits and batch statistics of every micro-batch, in part order. */
  outputs: Promise<PartOutputs[]>
  /**
   * Sends ∂L/∂F and ∂L/∂Z of every micro-batch (in part order) and resolves with the
   * parameter gradients summed over the workers (flat, layout.trainable) and the trainable
   * variables none of them had a gradient for.
   */
  backward(
    cached: { dFeatures: Float32Array; dLogits: Float32Array }[],
  ): Promise<{ gradients: Float32Array; missing: string[] }>
  /** Stops workers waiting for cached gradients (when the step failed on this thread). */
  abort(message: string): Promise<void>
}

/**
 * Worker threads that run the micro-batches of the cached-gradient step in parallel, each
 * with its own wasm backend and its own copy of the model. Parameters go to the workers
 * through one shared buffer written once per step, gradients come back through one shared
 * buffer per worker. Micro-batch k goes to worker k mod size.
 */
export class StepWorkerPool {
  private constructor(
    private readonly workers: StepWorker[],
    private readonly layout: FlatLayout,
    private readonly parameters: Float32Array,
  ) {}

  /** Starts `size` workers with a model of `model`'s configuration and AUs. */
  static async start(size: number, model: AuModel): Promise<StepWorkerPool> {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`${size} step workers`)
    const url = workerUrl()
    const layout = flatLayout(model)
    const shared = (values: number) => new SharedArrayBuffer(4 * values)
    const parameters = shared(layout.allSize)
    const workers = Array.from(
      { length: size },
      () => new StepWorker(new Worker(url), new Float32Array(shared(layout.trainableSize))),
    )
    const pool = new StepWorkerPool(workers, layout, new Float32Array(parameters))
    try {
      await Promise.all(
        workers.flatMap((w) =>
          w.ask({
            type: 'init',
            config: model.config,
            auList: [...model.auList],
            parameters,
            gradients: w.gradients.buffer as SharedArrayBuffer,
            channel: w.cached.receiverEnd,
          }),
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

  /**
   * Starts a step: copies every weight of `model` to the shared buffer and sends each
   * worker its micro-batches (`parts`, in part order). Nothing may change the model until
   * the step's gradients are back.
   */
  step(model: AuModel, parts: PartInput[], training: boolean): PoolStep {
    writeParameters(model, this.layout, this.parameters)
    const busy = this.workers
      .map((worker, w) => ({ worker, parts: parts.filter((p) => p.part % this.size === w) }))
      .filter((b) => b.parts.length > 0)
    const answers = busy.map((b) => b.worker.ask({ type: 'step', parts: b.parts, training }, 2))
    const finals = answers.map((a) => a[1] as Promise<Reply<'gradients'>>)
    // A final answer may fail before anyone awaits it (the step failed at its first answer).
    finals.forEach((f) => f.catch(() => undefined))
    const outputs = Promise.all(answers.map((a) => a[0] as Promise<Reply<'outputs'>>)).then(
      (replies) => replies.flatMap((r) => r.parts).sort((a, b) => a.part - b.part),
    )
    const order = (b: (typeof busy)[number]) => b.parts.map((p) => p.part)
    return {
      outputs,
      backward: async (cached) => {
        busy.forEach((b) =>
          b.worker.cached.send({ type: 'cached', parts: order(b).map((k) => cached[k]) }),
        )
        const replies = await Promise.all(finals)
        return this.sum(
          busy.map((b) => b.worker),
          replies,
        )
      },
      abort: async (message) => {
        busy.forEach((b) => b.worker.cached.send({ type: 'abort', message }))
        await Promise.allSettled(finals)
      },
    }
  }

  private sum(
    workers: StepWorker[],
    replies: Reply<'gradients'>[],
  ): { gradients: Float32Array; missing: string[] } {
    const gradients = Float32Array.from(workers[0].gradients)
    for (const w of workers.slice(1)) {
      const g = w.gradients
      for (let i = 0; i < g.length; i++) gradients[i] += g[i]
    }
    const missing = replies[0].missing.filter((name) =>
      replies.every((r) => r.missing.includes(name)),
    )
    return { gradients, missing }
  }

  /** The flat layout of the pool's model. */
  get flatLayout(): FlatLayout {
    return this.layout
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()))
  }
}
