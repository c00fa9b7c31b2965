import { describe, expect, it } from 'vitest'
import { groupedBars } from '../../../src/renderer/src/batch/plot-data'

describe('groupedBars', () => {
  it('places each series’ bar side by side around the group centre', () => {
    // Two series, two groups, width 0.8: offsets ±0.2 around 1 and 2.
    const [x, a, b] = groupedBars([
      [0.5, 1],
      [0, 0.25],
    ])
    expect(x.map((v) => Number(v.toFixed(10)))).toEqual([0.8, 1.2, 1.8, 2.2])
    expect(a).toEqual([0.5, null, 1, null])
    expect(b).toEqual([null, 0, null, 0.25])
  })
  it('centres a single series on the groups and keeps missing values empty', () => {
    expect(groupedBars([[0.1, null, 0.3]])).toEqual([
      [1, 2, 3],
      [0.1, null, 0.3],
    ])
  })
  it('is empty without series', () => {
    expect(groupedBars([])).toEqual([[]])
  })
})
