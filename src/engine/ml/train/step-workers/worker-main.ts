/**
 * A step worker: a worker thread with its own single-threaded wasm backend (our kernels
 * registered by selectBackend) and its own copy of the model, which runs steps 1 and 3 of
 * gradient caching (cached-gradients.ts) on the micro-batches the pool gives it.
 *
 * The last micro-batch of a step goes forward once, with a tape: the worker sends its
 * features and logits, blocks inside the tape until the cached gradients arrive
 * (blocking-channel.ts), then back-propagates from them, so no second forward pass is
 * needed. Any earlier micro-batches (more micro-batches than workers, to bound memory) go
 * forward without a tape in step 1 and again with one in step 3, as in the one-thread step.
 * Parameters are read from, and gradients written to, buffers shared with the pool.
 */
import { parentPort } from 'node:worker_threads'
import { selectBackend } from '../../backend'
import { AuModel } from '../../model/au-model'
import type { BatchStatisticsSink } from '../../model/layers'
import { tf } from '../../tf'
import { drainChannel, receiveBlocking, type BlockingReceiverEnd } from './blocking-channel'
import { addGradients, flatLayout, readParameters, type FlatLayout } from './flat-parameters'
import type {
  CachedGradientsMessage,
  LayerStatistics,
  PartInput,
  PartOutputs,
  StepWorkerReply,
  StepWorkerRequest,
} from './protocol'

interface Worker {
  model: AuModel
  layout: FlatLayout
  parameters: Float32Array
  gradients: Float32Array
  channel: BlockingReceiverEnd
}

type StepRequest = Extract<StepWorkerRequest, { type: 'step' }>
type Cached = Extract<CachedGradientsMessage, { type: 'cached' }>['parts'][number]

let state: Worker | null = null

function ready(): Worker {
  if (!state) throw new Error('step worker: no model (init first)')
  return state
}

function collect(into: LayerStatistics): BatchStatisticsSink {
  return (layer, mean, variance) =>
    into.push([layer, mean.dataSync() as Float32Array, variance.dataSync() as Float32Array])
}

function outputsOf(part: number, out: { features: tf.Tensor; logits: tf.Tensor }) {
  return {
    part,
    features: out.features.dataSync() as Float32Array,
    logits: out.logits.dataSync() as Float32Array,
  }
}

/** Σ F·∂L/∂F + Σ Z·∂L/∂Z: back-propagating it gives the micro-batch's share of ∂L/∂θ. */
function seed(out: { features: tf.Tensor2D; logits: tf.Tensor2D }, cached: Cached): tf.Scalar {
  const df = tf.tensor2d(cached.dFeatures, out.features.shape)
  const dz = tf.tensor2d(cached.dLogits, out.logits.shape)
  return tf.add(tf.mul(out.features, df).sum(), tf.mul(out.logits, dz).sum())
}

/** Step 1 without a tape on one micro-batch. */
function forwardOnly(w: Worker, part: PartInput, x: tf.Tensor4D, training: boolean): PartOutputs {
  const statistics: LayerStatistics = []
  return tf.tidy(() => {
    const options = { training, statistics: collect(statistics), onsetRows: part.clips }
    const out = w.model.apply(x, options)
    return { ...outputsOf(part.part, out), statistics }
  })
}

/** Runs `pass` under a tape over the trainable variables and adds its gradients. */
function addTapedGradients(w: Worker, pass: () => tf.Scalar, seen: Set<string>): void {
  const names = new Map(w.model.params.entries().map(([name, v]) => [v.name, name]))
  const { value, grads } = tf.variableGrads(pass, w.model.params.trainableVariables())
  const byName: Record<string, tf.Tensor> = {}
  for (const [id, g] of Object.entries(grads)) byName[names.get(id) ?? id] = g
  for (const name of Object.keys(byName)) seen.add(name)
  addGradients(byName, w.layout, w.gradients)
  tf.dispose([value, ...Object.values(grads)])
}

/** Blocks until the pool sends the cached gradients of this step. */
function awaitCached(w: Worker): Cached[] {
  const message = receiveBlocking<CachedGradientsMessage>(w.channel)
  if (message.type === 'abort') throw new Error(`step aborted: ${message.message}`)
  return message.parts
}

/**
 * Steps 1 and 3 on the step's micro-batches (see the file's comment). Posts the 'outputs'
 * answer itself and returns the 'gradients' one.
 */
function step(request: StepRequest, post: (reply: StepWorkerReply) => void): StepWorkerReply {
  const w = ready()
  // An abort left over from a step that failed here before it waited.
  drainChannel(w.channel)
  readParameters(w.model, w.layout, w.parameters)
  w.gradients.fill(0)
  const { training } = request
  const inputs = request.parts.map((p) => tf.tensor4d(p.input, p.shape))
  const last = inputs.length - 1
  const seen = new Set<string>()
  let cached: Cached[] = []
  try {
    const early = inputs.slice(0, last).map((x, k) => forwardOnly(w, request.parts[k], x, training))
    addTapedGradients(
      w,
      () => {
        const statistics: LayerStatistics = []
        const out = w.model.apply(inputs[last], {
          training,
          statistics: collect(statistics),
          onsetRows: request.parts[last].clips,
        })
        post({
          type: 'outputs',
          parts: [...early, { ...outputsOf(request.parts[last].part, out), statistics }],
        })
        cached = awaitCached(w)
        return seed(out, cached[last])
      },
      seen,
    )
    inputs.slice(0, last).forEach((x, k) =>
      addTapedGradients(
        w,
        () => {
          const options = {
            training,
            statistics: () => undefined,
            onsetRows: request.parts[k].clips,
          }
          return seed(w.model.apply(x, options), cached[k])
        },
        seen,
      ),
    )
  } finally {
    tf.dispose(inputs)
  }
  const missing = w.layout.trainable.map((s) => s.name).filter((name) => !seen.has(name))
  return { type: 'gradients', missing }
}

async function init(
  request: Extract<StepWorkerRequest, { type: 'init' }>,
): Promise<StepWorkerReply> {
  // One XNNPACK thread: the workers are the step's parallelism (one per core); a threaded
  // backend in each would put more threads than cores to work.
  const backend = await selectBackend({ prefer: 'wasm', wasmThreads: 1 })
  state?.model.dispose()
  const model = AuModel.create(request.config, request.auList, { seed: 0 })
  state = {
    model,
    layout: flatLayout(model),
    parameters: new Float32Array(request.parameters),
    gradients: new Float32Array(request.gradients),
    channel: request.channel,
  }
  return { type: 'ready', backend: backend.name }
}

const port = parentPort
if (!port) throw new Error('step-workers/worker-main runs in a worker thread')
// Requests are answered one at a time, in order; a step twice ('outputs', then 'gradients'),
// and a step that fails before its first answer gets the error twice.
let queue = Promise.resolve()
port.on('message', (request: StepWorkerRequest) => {
  queue = queue.then(async () => {
    let answered = 0
    const post = (reply: StepWorkerReply) => {
      answered += 1
      port.postMessage(reply)
    }
    try {
      post(request.type === 'init' ? await init(request) : step(request, post))
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      const expected = request.type === 'step' ? 2 : 1
      while (answered < expected) post({ type: 'error', message })
    }
  })
})
