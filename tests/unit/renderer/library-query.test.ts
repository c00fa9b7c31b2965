import { describe, expect, it } from 'vitest'
import {
  NO_FILTERS,
  clipNeighbours,
  isFiltered,
  libraryPageInput,
} from '../../../src/renderer/src/lib/library-query'

describe('clipNeighbours', () => {
  it('gives the clips either side and the 1-based place', () => {
    expect(clipNeighbours([4, 9, 2], 9)).toEqual({ previous: 4, next: 2, position: 2, count: 3 })
    expect(clipNeighbours([4, 9, 2], 4)).toEqual({
      previous: null,
      next: 9,
      position: 1,
      count: 3,
    })
    expect(clipNeighbours([4, 9, 2], 2)).toEqual({
      previous: 9,
      next: null,
      position: 3,
      count: 3,
    })
  })

  it('steps into the list from a clip the filters leave out', () => {
    expect(clipNeighbours([4, 9, 2], 7)).toEqual({
      previous: 2,
      next: 4,
      position: null,
      count: 3,
    })
    expect(clipNeighbours([], 7)).toEqual({ previous: null, next: null, position: null, count: 0 })
  })
})

describe('library queries', () => {
  it('leaves empty filters out of the library.page input', () => {
    expect(
      libraryPageInput({ datasetId: 3, filters: { ...NO_FILTERS, search: '  ep01 ', au: 12 } }),
    ).toEqual({
      datasetId: 3,
      search: 'ep01',
      subject: undefined,
      emotion: undefined,
      au: 12,
      coderId: undefined,
      status: undefined,
    })
  })

  it('tells a narrowed list from the whole one', () => {
    expect(isFiltered(NO_FILTERS)).toBe(false)
    expect(isFiltered({ ...NO_FILTERS, status: 'single' })).toBe(true)
  })
})
