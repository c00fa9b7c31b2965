import { describe, expect, it } from 'vitest'
import { labelsFromQueries, withClipLabels } from '../../../src/renderer/src/review/labels'

describe('labelsFromQueries', () => {
  it('turns per coder and AU clip lists into per coder and clip AU sets', () => {
    const labels = labelsFromQueries(
      [
        { coderId: 1, au: 4 },
        { coderId: 1, au: 12 },
        { coderId: 2, au: 4 },
      ],
      [[10, 11], [11], []],
    )
    expect([...labels.get(1)!.get(10)!]).toEqual([4])
    expect([...labels.get(1)!.get(11)!]).toEqual([4, 12])
    expect(labels.get(2)!.size).toBe(0)
    expect(labels.get(3)).toBeUndefined()
  })
})

describe('withClipLabels', () => {
  it('replaces one coder’s AUs on one clip without touching the old value', () => {
    const before = labelsFromQueries([{ coderId: 1, au: 4 }], [[10, 11]])
    const after = withClipLabels(before, 1, 10, [4, 7])
    expect([...after.get(1)!.get(10)!]).toEqual([4, 7])
    expect([...after.get(1)!.get(11)!]).toEqual([4])
    expect([...before.get(1)!.get(10)!]).toEqual([4])
    expect([...withClipLabels(before, 5, 10, [1]).get(5)!.get(10)!]).toEqual([1])
  })
})
