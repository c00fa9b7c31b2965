/**
 * Whether the wasm backend computes right with tensors above 2 GiB of its heap, which the
 * step-memory budget (3.5 GiB of the 4 GiB wasm32 heap) relies on: a signed pointer
 * anywhere (`ptr >> 2`, Int32 offsets) would break there. The laptop model's parameter
 * gradients on 3 images (every kernel a training step uses, ours included) are computed
 * low in the heap, then again after 2.3 GiB of small filler tensors have pushed every new
 * tensor above 2 GiB, and compared.
 *
 * Run: npx tsx bench/wasm-high-heap.bench.ts (needs ≈ 2.5 GiB of RAM). Writes
 * bench/results/wasm-high-heap.md.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { selectBackend } from '../src/engine/ml/backend'
import { AuModel } from '../src/engine/ml/model/au-model'
import { getPreset } from '../src/engine/ml/model/presets'
import { tf } from '../src/engine/ml/tf'

const here = path.dirname(fileURLToPath(import.meta.url))
const GIB = 2 ** 30

await selectBackend({ prefer: 'wasm' })
const backend = tf.backend() as unknown as {
  wasm: { HEAPU8: Uint8Array }
  getMemoryOffset(dataId: object): number
}
const model = AuModel.create(getPreset('laptop').model, ['1', '2', '4', '12'], { seed: 1 })

/** All parameter gradients of one taped pass, flattened in name order, and where they lie. */
function gradients(): { values: Float32Array; offset: number } {
  return tf.tidy(() => {
    const x = tf.randomNormal([3, 96, 96, 3], 0, 1, 'float32', 3) as tf.Tensor4D
    const { grads } = tf.variableGrads(() => {
      const out = model.apply(x, { training: true, statistics: () => undefined })
      return tf.add(tf.sum(tf.square(out.features)), tf.sum(out.logits)) as tf.Scalar
    }, model.params.trainableVariables())
    const flat = tf.concat(
      Object.keys(grads)
        .sort()
        .map((name) => grads[name].flatten()),
    )
    return { values: flat.dataSync() as Float32Array, offset: backend.getMemoryOffset(flat.dataId) }
  })
}

const low = gradients()
const fillers: tf.Tensor[] = []
while (backend.wasm.HEAPU8.length < 2.3 * GIB) fillers.push(tf.zeros([2 ** 14]))
const high = gradients()
let maxDifference = 0
low.values.forEach(
  (v, i) => (maxDifference = Math.max(maxDifference, Math.abs(v - high.values[i]))),
)
tf.dispose(fillers)

const text = [
  '## Wasm heap above 2 GiB',
  '',
  `${new Date().toISOString().slice(0, 10)} · ${os.cpus()[0].model} · Node ${process.version} · ` +
    '`npx tsx bench/wasm-high-heap.bench.ts`',
  '',
  'The laptop model’s parameter gradients on 3 images, computed low in the wasm heap and',
  'again with every tensor above 2 GiB (after small filler tensors grew the heap).',
  '',
  '| gradients | offset low (bytes) | offset high (bytes) | heap GiB | max abs difference |',
  '| ---: | ---: | ---: | ---: | ---: |',
  `| ${low.values.length} | ${low.offset} | ${high.offset} | ` +
    `${(backend.wasm.HEAPU8.length / GIB).toFixed(2)} | ${maxDifference} |`,
  '',
  high.offset > 2 * GIB && maxDifference === 0
    ? 'Equal: addresses above 2 GiB are handled right, so the whole 4 GiB heap is usable.'
    : 'NOT shown: the high pass did not land above 2 GiB or its gradients differ.',
  '',
].join('\n')
fs.mkdirSync(path.join(here, 'results'), { recursive: true })
fs.writeFileSync(path.join(here, 'results', 'wasm-high-heap.md'), text)
process.stdout.write(text)
