import { describe, expect, it } from 'vitest'
import { formatRemaining, nextAnchor, remainingMs } from '../../../src/renderer/src/lib/eta'

describe('remainingMs', () => {
  it('extrapolates the pace since the anchor', () => {
    // 10 units in 20 s → 2 s a unit; 40 units left → 80 s.
    expect(remainingMs({ time: 0, done: 0 }, { time: 20_000, done: 10 }, 50)).toBe(80_000)
    // From an anchor at 5 done: 5 units in 10 s; 10 left → 20 s.
    expect(remainingMs({ time: 1000, done: 5 }, { time: 11_000, done: 10 }, 20)).toBe(20_000)
  })
  it('gives no estimate too early, without progress, or without a total', () => {
    expect(remainingMs({ time: 0, done: 0 }, { time: 2000, done: 5 }, 10)).toBeNull()
    expect(remainingMs({ time: 0, done: 3 }, { time: 60_000, done: 3 }, 10)).toBeNull()
    expect(remainingMs({ time: 0, done: 0 }, { time: 60_000, done: 3 }, 0)).toBeNull()
    expect(remainingMs(null, { time: 60_000, done: 3 }, 10)).toBeNull()
  })
  it('never goes below zero', () => {
    expect(remainingMs({ time: 0, done: 0 }, { time: 10_000, done: 12 }, 10)).toBe(0)
  })
})

describe('nextAnchor', () => {
  it('keeps the first report and restarts when done goes backwards (a resume)', () => {
    const a = nextAnchor(null, { time: 5, done: 2 })
    expect(a).toEqual({ time: 5, done: 2 })
    expect(nextAnchor(a, { time: 9, done: 4 })).toBe(a)
    expect(nextAnchor(a, { time: 12, done: 1 })).toEqual({ time: 12, done: 1 })
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
