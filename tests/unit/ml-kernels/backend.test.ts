import { describe, expect, it } from 'vitest'
import { BACKEND_ORDER, selectBackend } from '../../../src/engine/ml/backend'
import { tf } from '../../../src/engine/ml/tf'

// tfjs-node and tfjs-node-gpu are optionalDependencies whose install fails on this
// machine (no libtensorflow download), so these tests see them absent.
describe('selectBackend', () => {
  it('reports each absent native package with the command that installs it, then runs wasm', async () => {
    const report = await selectBackend()
    expect(report.attempts.map((a) => a.name)).toEqual([...BACKEND_ORDER])
    const [gpu, native, wasm, cpu] = report.attempts
    expect(gpu).toMatchObject({ ok: false })
    expect(gpu.reason).toContain('module not installed: npm install @tensorflow/tfjs-node-gpu')
    expect(gpu.reason).toContain('CUDA')
    expect(native).toMatchObject({ ok: false })
    expect(native.reason).toContain('module not installed: npm install @tensorflow/tfjs-node')
    expect(wasm.ok).toBe(true)
    expect(cpu).toEqual({ name: 'cpu', ok: false, reason: 'not tried: wasm was selected first' })
    expect(report.name).toBe('wasm')
    expect(report.reason).toBe(wasm.reason)
    expect(tf.getBackend()).toBe('wasm')
    expect(report.threads).toBe(1)
  })

  it('runs the preferred backend and says the others were not tried', async () => {
    const report = await selectBackend({ prefer: 'cpu', purpose: 'inference' })
    expect(report.name).toBe('cpu')
    expect(tf.getBackend()).toBe('cpu')
    expect(report.attempts[0]).toMatchObject({ name: 'cpu', ok: true })
    for (const attempt of report.attempts.slice(1)) {
      expect(attempt).toMatchObject({ ok: false, reason: 'not tried: cpu was selected first' })
    }
  })

  it('falls back in order when the preferred backend is absent', async () => {
    const report = await selectBackend({ prefer: 'tensorflow' })
    expect(report.attempts.map((a) => a.name)).toEqual([
      'tensorflow',
      'tensorflow-gpu',
      'wasm',
      'cpu',
    ])
    expect(report.attempts[0].ok).toBe(false)
    expect(report.name).toBe('wasm')
  })
})
