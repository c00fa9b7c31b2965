import { describe, expect, it } from 'vitest'
import { labelsByCoder, withClipLabels } from '../../../src/renderer/src/review/labels'

describe('labelsByCoder', () => {
  it('groups label rows into per coder and clip AU sets, for the coders asked about', () => {
    const labels = labelsByCoder(
      [
        { clipId: 10, coderId: 1, au: 4 },
        { clipId: 11, coderId: 1, au: 4 },
        { clipId: 11, coderId: 1, au: 12 },
        // Scored on the left and on the right: one AU.
        { clipId: 11, coderId: 1, au: 12 },
        { clipId: 11, coderId: 3, au: 1 },
      ],
      [1, 2],
    )
    expect([...labels.get(1)!.get(10)!]).toEqual([4])
    expect([...labels.get(1)!.get(11)!]).toEqual([4, 12])
    expect(labels.get(2)!.size).toBe(0)
    expect(labels.get(3)).toBeUndefined()
  })
})

describe('withClipLabels', () => {
  it('replaces one coder’s AUs on one clip without touching the old value', () => {
    const before = labelsByCoder(
      [
        { clipId: 10, coderId: 1, au: 4 },
        { clipId: 11, coderId: 1, au: 4 },
      ],
      [1],
    )
    const after = withClipLabels(before, 1, 10, [4, 7])
    expect([...after.get(1)!.get(10)!]).toEqual([4, 7])
    expect([...after.get(1)!.get(11)!]).toEqual([4])
    expect([...before.get(1)!.get(10)!]).toEqual([4])
    expect([...withClipLabels(before, 5, 10, [1]).get(5)!.get(10)!]).toEqual([1])
  })
})
