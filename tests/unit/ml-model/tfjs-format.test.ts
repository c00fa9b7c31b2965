import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { tf } from '../../../src/engine/ml/tf'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuModel } from '../../../src/engine/ml/model/au-model'
import { MODEL_PRESETS } from '../../../src/engine/ml/model/presets'
import { MODEL_FILES } from '../../../src/engine/ml/weights/sidecar'
import {
  deserializeAuModel,
  loadAuModel,
  saveAuModel,
  serializeAuModel,
} from '../../../src/engine/ml/weights/tfjs-format'
import { AppError } from '../../../src/shared/errors'

const tiny = MODEL_PRESETS.tiny.model
const AUS = ['1', '2', '4', '7']
let dir = ''

beforeAll(async () => {
  await tf.setBackend('cpu')
  dir = mkdtempSync(path.join(tmpdir(), 'microau-model-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** A tiny model whose moving statistics moved away from their initial 0 and 1. */
function trainedModel(): AuModel {
  const model = AuModel.create(tiny, AUS, { seed: 9 })
  const x = tf.randomUniform([4, 32, 32, 3], -80, 80, 'float32', 9) as tf.Tensor4D
  tf.dispose(model.apply(x, { training: true }))
  x.dispose()
  return model
}

function bytesOf(v: tf.Tensor): Uint8Array {
  const data = v.dataSync() as Float32Array
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

describe('tfjs-format save and load', () => {
  it('round-trips every weight bit for bit, with the sidecar', async () => {
    const model = trainedModel()
    const target = path.join(dir, 'round-trip')
    const training = { variant: 'iicl', classBalancedBce: true, epochs: 6 }
    const metrics = { meanF1: 0.41, perAu: [{ au: '1', f1: 0.5 }] }
    await saveAuModel(target, model, {
      preset: 'tiny',
      training,
      metrics,
      savedAt: '2025-01-02T03:04:05.000Z',
    })

    const { model: loaded, sidecar } = await loadAuModel(target)
    expect(sidecar).toEqual({
      format: 'microau-au-model',
      formatVersion: 1,
      preset: 'tiny',
      config: tiny,
      auList: AUS,
      training,
      metrics,
      savedAt: '2025-01-02T03:04:05.000Z',
    })
    expect(loaded.auList).toEqual(AUS)
    expect(loaded.params.names()).toEqual(model.params.names())
    for (const [name, v] of model.params.entries()) {
      const w = loaded.params.get(name)
      expect(w.trainable, name).toBe(v.trainable)
      expect(w.shape, name).toEqual(v.shape)
      expect(bytesOf(w), name).toEqual(bytesOf(v))
    }
    const moving = loaded.params.get('conv1/7x7_s2/bn/moving_mean').dataSync()
    expect([...moving].some((v) => v !== 0)).toBe(true)

    const x = tf.randomUniform([2, 32, 32, 3], -80, 80, 'float32', 1) as tf.Tensor4D
    const a = model.apply(x, { training: false })
    const b = loaded.apply(x, { training: false })
    expect(bytesOf(b.logits)).toEqual(bytesOf(a.logits))
    tf.dispose([x, a, b])
    model.dispose()
    loaded.dispose()
  })

  it('writes a tfjs weights manifest and a flat float32 weights.bin', async () => {
    const model = AuModel.create(tiny, AUS, { seed: 2 })
    const target = path.join(dir, 'layout')
    await saveAuModel(target, model, { preset: 'tiny' })
    const manifest = JSON.parse(readFileSync(path.join(target, MODEL_FILES.manifest), 'utf8'))
    const entries = manifest.weightsManifest[0].weights as { name: string; shape: number[] }[]
    expect(manifest.weightsManifest[0].paths).toEqual(['weights.bin'])
    expect(entries[0]).toEqual({
      name: 'conv1/7x7_s2/kernel',
      shape: [7, 7, 3, 8],
      dtype: 'float32',
    })
    const values = entries.reduce((n, e) => n + e.shape.reduce((a, b) => a * b, 1), 0)
    expect(readFileSync(path.join(target, MODEL_FILES.weights)).byteLength).toBe(4 * values)
    // the first bytes are the stem kernel
    const bin = readFileSync(path.join(target, MODEL_FILES.weights))
    expect(new Uint8Array(bin.subarray(0, 16))).toEqual(
      bytesOf(model.params.get('conv1/7x7_s2/kernel')).subarray(0, 16),
    )
    model.dispose()
  })

  it('refuses weights that do not fit the configuration, naming the weight', async () => {
    const model = AuModel.create(tiny, AUS, { seed: 3 })
    const saved = await serializeAuModel(model, { preset: 'tiny' })
    const other = { ...saved, sidecar: { ...saved.sidecar, auList: ['1', '2'] } }
    expect(() => deserializeAuModel(other, 'folder-x')).toThrow(
      /folder-x: .*au_head\/kernel is float32 \[128, 4\], expected float32 \[128, 2\]/,
    )
    const truncated = { ...saved, weightData: saved.weightData.slice(0, 100) }
    expect(() => deserializeAuModel(truncated)).toThrow(AppError)
    model.dispose()
  })

  it('reports missing and invalid files', async () => {
    const missing = await rejection(loadAuModel(path.join(dir, 'nothing-here')))
    expect(missing.code).toBe('not_found')

    const model = AuModel.create(tiny, AUS, { seed: 4 })
    const target = path.join(dir, 'broken')
    await saveAuModel(target, model, { preset: 'tiny' })
    const sidecarFile = path.join(target, MODEL_FILES.sidecar)
    const sidecar = JSON.parse(readFileSync(sidecarFile, 'utf8'))
    writeFileSync(
      sidecarFile,
      JSON.stringify({ ...sidecar, config: { ...sidecar.config, seRatio: 0 } }),
    )
    const invalid = await rejection(loadAuModel(target))
    expect(invalid.code).toBe('invalid_file')
    expect(invalid.message).toContain('config.seRatio')
    model.dispose()
  })
})
