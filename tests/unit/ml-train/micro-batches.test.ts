import { describe, expect, it } from 'vitest'
import {
  fullToMicroRows,
  microBatches,
  microToFullRows,
} from '../../../src/engine/ml/train/micro-batches'

describe('microBatches', () => {
  it('cuts a batch into consecutive, nearly equal micro-batches', () => {
    expect(microBatches(7, 3)).toEqual([
      { start: 0, count: 3 },
      { start: 3, count: 2 },
      { start: 5, count: 2 },
    ])
    expect(microBatches(16, 8)).toEqual([
      { start: 0, count: 8 },
      { start: 8, count: 8 },
    ])
    expect(microBatches(4, 16)).toEqual([{ start: 0, count: 4 }])
    expect(microBatches(3, 1)).toEqual([
      { start: 0, count: 1 },
      { start: 1, count: 1 },
      { start: 2, count: 1 },
    ])
  })

  it('refuses empty batches and micro-batches', () => {
    expect(() => microBatches(0, 2)).toThrow(RangeError)
    expect(() => microBatches(4, 0)).toThrow(RangeError)
  })
})

describe('row maps', () => {
  // 3 clips in micro-batches [0, 1] and [2], 2 kinds (apex a, close c).
  // Full (kind-major): a0 a1 a2 c0 c1 c2. Micro-major: a0 a1 c0 c1 | a2 c2.
  const parts = [
    { start: 0, count: 2 },
    { start: 2, count: 1 },
  ]

  it('maps each full-batch row to its micro-major row', () => {
    expect([...fullToMicroRows(parts, 2)]).toEqual([0, 1, 4, 2, 3, 5])
  })

  it('maps each micro-major row back to its full-batch row', () => {
    expect([...microToFullRows(parts, 2)]).toEqual([0, 1, 3, 4, 2, 5])
  })

  it('is the identity with one micro-batch', () => {
    expect([...fullToMicroRows([{ start: 0, count: 3 }], 3)]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8])
  })
})
