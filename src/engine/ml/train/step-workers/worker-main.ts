/**
 * A step worker: a worker thread with its own wasm backend (our kernels registered by
 * selectBackend) and its own copy of the model, which runs steps 1 and 3 of gradient
 * caching (cached-gradients.ts) on the micro-batches the pool gives it. Parameters arrive
 * every step; the inputs of its micro-batches stay here between the two passes.
 */
import { parentPort } from 'node:worker_threads'
import { selectBackend } from '../../backend'
import { AuModel } from '../../model/au-model'
import { tf } from '../../tf'
import type { NamedArrays, StepWorkerReply, StepWorkerRequest } from './protocol'

let model: AuModel | null = null
const inputs = new Map<number, { input: tf.Tensor4D; training: boolean }>()

function ready(): AuModel {
  if (!model) throw new Error('step worker: no model (init first)')
  return model
}

function setParameters(values: NamedArrays): void {
  const m = ready()
  for (const [name, array] of values) m.params.assign(name, array)
  tf.dispose([...inputs.values()].map((i) => i.input))
  inputs.clear()
}

function forward(request: Extract<StepWorkerRequest, { type: 'forward' }>): StepWorkerReply {
  const m = ready()
  const input = tf.tensor4d(request.input, request.shape)
  inputs.set(request.part, { input, training: request.training })
  const statistics: [string, Float32Array, Float32Array][] = []
  const out = tf.tidy(() => {
    const o = m.apply(input, {
      training: request.training,
      statistics: (layer, mean, variance) =>
        statistics.push([
          layer,
          mean.dataSync() as Float32Array,
          variance.dataSync() as Float32Array,
        ]),
    })
    return { features: o.features, logits: o.logits }
  })
  const reply: StepWorkerReply = {
    type: 'forward',
    features: out.features.dataSync() as Float32Array,
    logits: out.logits.dataSync() as Float32Array,
    statistics,
  }
  tf.dispose(out)
  return reply
}

function backward(request: Extract<StepWorkerRequest, { type: 'backward' }>): StepWorkerReply {
  const m = ready()
  const held = inputs.get(request.part)
  if (!held) throw new Error(`step worker: micro-batch ${request.part} was not run forward`)
  const names = new Map(m.params.entries().map(([name, v]) => [v.name, name]))
  const { value, grads } = tf.variableGrads(() => {
    const o = m.apply(held.input, { training: held.training, statistics: () => undefined })
    const df = tf.tensor2d(request.dFeatures, o.features.shape)
    const dz = tf.tensor2d(request.dLogits, o.logits.shape)
    return tf.add(tf.mul(o.features, df).sum(), tf.mul(o.logits, dz).sum()) as tf.Scalar
  }, m.params.trainableVariables())
  const out: NamedArrays = Object.entries(grads).map(([id, g]) => [
    names.get(id) ?? id,
    g.dataSync() as Float32Array,
  ])
  tf.dispose([value, ...Object.values(grads), held.input])
  inputs.delete(request.part)
  return { type: 'backward', grads: out }
}

async function handle(request: StepWorkerRequest): Promise<StepWorkerReply> {
  switch (request.type) {
    case 'init': {
      const backend = await selectBackend({ prefer: 'wasm' })
      model?.dispose()
      model = AuModel.create(request.config, request.auList, { seed: 0 })
      return { type: 'ready', backend: backend.name }
    }
    case 'parameters':
      setParameters(request.values)
      return { type: 'parameters' }
    case 'forward':
      return forward(request)
    case 'backward':
      return backward(request)
  }
}

const port = parentPort
if (!port) throw new Error('step-workers/worker-main runs in a worker thread')
// Requests are answered one at a time, in order.
let queue = Promise.resolve()
port.on('message', (request: StepWorkerRequest) => {
  queue = queue.then(async () => {
    try {
      port.postMessage(await handle(request))
    } catch (error) {
      port.postMessage({
        type: 'error',
        message: error instanceof Error ? error.message : String(error),
      } satisfies StepWorkerReply)
    }
  })
})
