import { describe, expect, it } from 'vitest'
import {
  BACKEND_FACTOR,
  estimateRunTime,
  formatEstimate,
  JOB_STARTUP_MS,
  PREP_MS_PER_PIXEL_FRAME,
  pooledVolume,
  trainingSteps,
  WASM_STEP_COST,
} from '../../../src/renderer/src/train/time-estimate'

describe('the measured constants', () => {
  it('are the figures their comments cite', () => {
    // tiny: 55 ms for 6 images, 77 ms for 24 → slope 22/18 ≈ 1.2, intercept 55 − 6·1.2 ≈ 48
    expect(WASM_STEP_COST.tiny!.imageMs).toBeCloseTo((77 - 55) / 18, 1)
    expect(WASM_STEP_COST.tiny!.stepMs).toBeCloseTo(55 - 6 * 1.2, 0)
    // laptop: 317 ms for 24 images, 514 ms for 48 → slope 197/24 ≈ 8.2, intercept ≈ 120
    expect(WASM_STEP_COST.laptop!.imageMs).toBeCloseTo((514 - 317) / 24, 1)
    expect(WASM_STEP_COST.laptop!.stepMs).toBeCloseTo(317 - 24 * 8.2, -1)
    expect(WASM_STEP_COST.paper).toBeNull()
    expect(BACKEND_FACTOR.cpu).toBeCloseTo(33.96, 2) // 17456 / 514
    // 22.8 s / (96 clips × 45 frames × 128²) ≈ 0.322 µs per pixel-frame
    expect(PREP_MS_PER_PIXEL_FRAME * 1e6).toBeCloseTo(322.1, 1)
  })
})

describe('trainingSteps', () => {
  it('counts the fold models’ and the final model’s steps per epoch', () => {
    // 12 clips, 2 folds: each fold model trains on 6 clips → 3 steps of 2; final 6 steps.
    expect(trainingSteps(12, 2, 2, 3, true)).toBe(3 * (2 * 3 + 6))
    // 96 clips, 4 folds, batch 16: 72 clips → 5 steps per fold model; no final model.
    expect(trainingSteps(96, 4, 16, 30, false)).toBe(30 * 4 * 5)
  })
})

describe('estimateRunTime', () => {
  it('worked example: tiny IICL, 12 clips, 2 folds, 3 epochs, batch 2, wasm, with a final model', () => {
    const e = estimateRunTime({
      preset: 'tiny',
      variants: ['iicl'],
      clips: 12,
      pixelFrames: 12 * 45 * 48 * 48,
      folds: 2,
      epochs: 3,
      batchSize: 2,
      finalModel: true,
      backend: 'wasm',
    })
    // 3 epochs × 3 frames × 12 clips × (1 other fold + 1 final) = 216 images in 36 steps
    expect(e.trainingImages).toBe(216)
    expect(e.trainingSteps).toBe(36)
    expect(e.trainMs).toBeCloseTo(36 * 48 + 216 * 1.2, 9) // 1987.2 ms
    expect(e.testMs).toBeCloseTo((12 * 1.2) / 3, 9) // 4.8 ms
    // worker start + 1,244,160 pixel-frames × 0.322 µs ≈ 2500 + 400.7 ms
    expect(e.prepMs).toBeCloseTo(JOB_STARTUP_MS + 1_244_160 * PREP_MS_PER_PIXEL_FRAME, 9)
    expect(e.totalMs).toBeCloseTo(e.prepMs + 1987.2 + 4.8, 9)
  })
  it('worked example: a laptop ablation of baseline + IICL on cpu, preset schedule, no final model', () => {
    const e = estimateRunTime({
      preset: 'laptop',
      variants: ['baseline', 'iicl'],
      clips: 96,
      pixelFrames: 0,
      folds: 4,
      finalModel: false,
      backend: 'cpu',
    })
    // 30 epochs × 96 clips × 3 runs × (1 + 3 frames) = 34,560 images; 2 × 600 steps
    expect(e.trainingImages).toBe(34_560)
    expect(e.trainingSteps).toBe(1200)
    const factor = 17456 / 514
    expect(e.trainMs).toBeCloseTo((1200 * 120 + 34_560 * 8.2) * factor, 6) // ≈ 4.0 h
    expect(e.testMs).toBeCloseTo((192 * 8.2 * factor) / 3, 6)
    expect(e.prepMs).toBe(JOB_STARTUP_MS)
  })
  it('says when a backend was not measured and uses wasm’s cost', () => {
    const input = {
      preset: 'tiny' as const,
      variants: ['baseline'],
      clips: 10,
      pixelFrames: 0,
      folds: 2,
      epochs: 1,
      finalModel: true,
    }
    const wasm = estimateRunTime({ ...input, backend: 'wasm' })
    const tf = estimateRunTime({ ...input, backend: 'tensorflow' })
    expect(tf.totalMs).toBe(wasm.totalMs)
    expect(tf.notes.join(' ')).toMatch(/tensorflow was not measured/)
  })
  it('gives no figure for the paper preset, whose cost was not measured', () => {
    const e = estimateRunTime({
      preset: 'paper',
      variants: ['iicl'],
      clips: 10,
      pixelFrames: 100,
      folds: 2,
      finalModel: true,
      backend: 'wasm',
    })
    expect(e.totalMs).toBeNull()
    expect(e.trainingImages).toBe(80 * 3 * 10 * 2)
    expect(e.notes.join(' ')).toMatch(/paper preset/)
  })
})

describe('formatEstimate', () => {
  it('rounds to seconds, minutes, hours and minutes', () => {
    expect(formatEstimate(300)).toBe('about 1 s')
    expect(formatEstimate(42_400)).toBe('about 42 s')
    expect(formatEstimate(150_000)).toBe('about 3 min')
    expect(formatEstimate(3_600_000)).toBe('about 1 h')
    expect(formatEstimate(4_800_000)).toBe('about 1 h 20 min')
  })
})

describe('pooledVolume', () => {
  it('sums the chosen datasets, and waits for every one of them', () => {
    const volumes = {
      1: { clips: 12, pixelFrames: 1000 },
      2: { clips: 30, pixelFrames: 250 },
      3: { clips: 5, pixelFrames: 7 },
    }
    expect(pooledVolume([1, 2], volumes)).toEqual({ clips: 42, pixelFrames: 1250 })
    expect(pooledVolume([3], volumes)).toEqual({ clips: 5, pixelFrames: 7 })
    expect(pooledVolume([1, 4], volumes)).toBeNull()
    expect(pooledVolume([], volumes)).toBeNull()
  })
})
