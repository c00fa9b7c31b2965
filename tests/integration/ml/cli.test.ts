import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openLibrary } from '../../../src/engine/db/open-library'
import { runMicroau, trainTinyArgs } from '../../helpers/cli'
import { tempDir } from '../../helpers/temp'
import { syntheticLibrary, type SyntheticLibrary } from './fixtures'

let cleanup: () => void
let dir: string
let lib: SyntheticLibrary

beforeAll(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  dir = t.dir
  lib = await syntheticLibrary(dir, { subjects: 4, clips: 2, seed: 3 })
}, 120_000)
afterAll(() => cleanup())

describe('microau train / predict / cam', () => {
  it('trains a tiny model, predicts a dataset into the library and draws a Grad-CAM PNG', () => {
    const out = path.join(dir, 'model')
    const trained = runMicroau([...trainTinyArgs({ db: lib.file, out, seed: 4 }), '--json'])
    expect(trained.code, trained.stderr).toBe(0)
    const result = JSON.parse(trained.stdout) as {
      modelId: number
      metrics: { meanF1: number; perAu: unknown[] }
      bce: string
    }
    expect(result.metrics.perAu.length).toBeGreaterThan(0)
    expect(result.bce).toMatch(/class-balanced/)
    expect(trained.stderr).toMatch(/train: job \d+ started/)

    const predicted = runMicroau([
      'predict',
      '--model',
      out,
      '--db',
      lib.file,
      '--backend',
      'wasm',
      '--json',
    ])
    expect(predicted.code, predicted.stderr).toBe(0)
    const predictions = JSON.parse(predicted.stdout) as {
      modelId: number
      auList: string[]
      predictions: unknown[]
    }
    expect(predictions.modelId).toBe(result.modelId)
    expect(predictions.predictions).toHaveLength(8)
    const db = openLibrary(lib.file, { readonly: true })
    const stored = db
      .prepare('SELECT count(*) FROM predictions WHERE model_id = ?')
      .pluck()
      .get(result.modelId)
    db.close()
    expect(stored).toBe(8 * predictions.auList.length)

    const png = path.join(dir, 'cam.png')
    const clip = lib.dataset.clips[0].folder!
    const cam = runMicroau([
      'cam',
      '--model',
      out,
      '--in',
      clip,
      '--au',
      predictions.auList[0],
      '--out',
      png,
      '--backend',
      'wasm',
    ])
    expect(cam.code, cam.stderr).toBe(0)
    expect(fs.readFileSync(png).subarray(1, 4).toString()).toBe('PNG')

    const bad = runMicroau([
      'train',
      '--db',
      lib.file,
      '--preset',
      'huge',
      '--variant',
      'iicl',
      '--out',
      out,
    ])
    expect(bad.code).not.toBe(0)
  }, 300_000)
})
