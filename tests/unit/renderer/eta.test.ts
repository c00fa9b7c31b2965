import { describe, expect, it } from 'vitest'
import { formatRemaining, nextAnchor, remainingMs } from '../../../src/renderer/src/lib/eta'

describe('remainingMs', () => {
  it('extrapolates the pace since the anchor', () => {
    // 10 units in 20 s → 2 s a unit; 40 units left → 80 s.
    expect(
      remainingMs({ time: 0, done: 0, total: 50 }, { time: 20_000, done: 10, total: 50 }),
    ).toBe(80_000)
    // From an anchor at 5 done: 5 units in 10 s; 10 left → 20 s.
    expect(
      remainingMs({ time: 1000, done: 5, total: 20 }, { time: 11_000, done: 10, total: 20 }),
    ).toBe(20_000)
  })
  it('gives no estimate too early, without progress, without a total, or across phases', () => {
    expect(
      remainingMs({ time: 0, done: 0, total: 10 }, { time: 2000, done: 5, total: 10 }),
    ).toBeNull()
    expect(
      remainingMs({ time: 0, done: 3, total: 10 }, { time: 60_000, done: 3, total: 10 }),
    ).toBeNull()
    expect(
      remainingMs({ time: 0, done: 0, total: 0 }, { time: 60_000, done: 3, total: 0 }),
    ).toBeNull()
    expect(remainingMs(null, { time: 60_000, done: 3, total: 10 })).toBeNull()
    expect(
      remainingMs({ time: 0, done: 0, total: 8 }, { time: 60_000, done: 3, total: 10 }),
    ).toBeNull()
  })
  it('never goes below zero', () => {
    expect(
      remainingMs({ time: 0, done: 0, total: 10 }, { time: 10_000, done: 12, total: 10 }),
    ).toBe(0)
  })
})

describe('nextAnchor', () => {
  it('keeps the first report and restarts when done goes backwards (a resume)', () => {
    const a = nextAnchor(null, { time: 5, done: 2, total: 10 })
    expect(a).toEqual({ time: 5, done: 2, total: 10 })
    expect(nextAnchor(a, { time: 9, done: 4, total: 10 })).toBe(a)
    expect(nextAnchor(a, { time: 12, done: 1, total: 10 })).toEqual({
      time: 12,
      done: 1,
      total: 10,
    })
  })
  it('restarts when the total changes (the next phase: clips loaded, now epochs)', () => {
    const loading = nextAnchor(null, { time: 0, done: 0, total: 40 })
    const stillLoading = nextAnchor(loading, { time: 30_000, done: 40, total: 40 })
    expect(stillLoading).toBe(loading)
    // Epochs 3 of 200 at 31 s: done went down and the total changed; the anchor is the report.
    const epochs = nextAnchor(stillLoading, { time: 31_000, done: 3, total: 200 })
    expect(epochs).toEqual({ time: 31_000, done: 3, total: 200 })
    // Even when done grows across the change (12 of 40 clips → 50 of 200 epochs).
    const a = { time: 0, done: 12, total: 40 }
    expect(nextAnchor(a, { time: 5000, done: 50, total: 200 })).toEqual({
      time: 5000,
      done: 50,
      total: 200,
    })
    // 10 epochs in 20 s since the new anchor → 2 s each; 187 left → 374 s.
    expect(remainingMs(epochs, { time: 51_000, done: 13, total: 200 })).toBe(374_000)
  })
})

describe('formatRemaining', () => {
  it('rounds to seconds, minutes, hours and minutes', () => {
    expect(formatRemaining(200)).toBe('about 1 s left')
    expect(formatRemaining(40_400)).toBe('about 40 s left')
    expect(formatRemaining(185_000)).toBe('about 3 min left')
    expect(formatRemaining(3_600_000)).toBe('about 1 h left')
    expect(formatRemaining(4_800_000)).toBe('about 1 h 20 min left')
  })
})
