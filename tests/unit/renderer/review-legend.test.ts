import { describe, expect, it } from 'vitest'
import { coderMarks, unpredictedAus } from '../../../src/renderer/src/review/coder-legend'
import { labelsByCoder } from '../../../src/renderer/src/review/labels'

describe('coderMarks', () => {
  it('uses the first letter when it is unique', () => {
    expect(
      coderMarks([
        { id: 1, name: 'Ann' },
        { id: 2, name: 'casme sheet' },
      ]),
    ).toEqual(
      new Map([
        [1, 'A'],
        [2, 'C'],
      ]),
    )
  })

  it('tells coders with the same first letter apart', () => {
    const marks = coderMarks([
      { id: 1, name: 'Ben Ortiz' },
      { id: 2, name: 'Bea Lund' },
      { id: 3, name: 'Zoe' },
    ])
    expect([...marks.values()]).toEqual(['BO', 'BL', 'Z'])
    const same = coderMarks([
      { id: 4, name: 'Bo' },
      { id: 5, name: 'Bob' },
    ])
    expect([...same.values()]).toEqual(['B1', 'B2'])
  })
})

describe('unpredictedAus', () => {
  it('lists AUs people scored that the model does not predict, with clips and coders', () => {
    const labels = labelsByCoder(
      [
        { clipId: 10, coderId: 1, au: 4 },
        { clipId: 10, coderId: 1, au: 9 },
        { clipId: 11, coderId: 2, au: 9 },
        { clipId: 11, coderId: 2, au: 25 },
        { clipId: 12, coderId: 2, au: 25 },
        { clipId: 99, coderId: 1, au: 43 },
      ],
      [1, 2],
    )
    expect(unpredictedAus(labels, [1, 2], [10, 11, 12], [4, 12])).toEqual([
      { au: 9, clips: 2, coderIds: [1, 2] },
      { au: 25, clips: 2, coderIds: [2] },
    ])
    expect(unpredictedAus(labels, [1], [10, 11, 12], [4, 9])).toEqual([])
  })
})
