import { describe, expect, it } from 'vitest'
import { addAusToKeyMap, auOfKey, bindAuKey, keyOfSlot } from '../../../src/shared/facs'

describe('addAusToKeyMap', () => {
  it('numbers a new map 1 … 9, then 0, ascending, and leaves the rest without a key', () => {
    const map = addAusToKeyMap([], [12, 1, 2, 4, 5, 6, 7, 9, 10, 14, 15])
    expect(map.map((e) => `${e.au}:${e.key}`)).toEqual([
      '1:1',
      '2:2',
      '4:3',
      '5:4',
      '6:5',
      '7:6',
      '9:7',
      '10:8',
      '12:9',
      '14:0',
      '15:null',
    ])
  })

  it('gives an AU new to the dataset the next free key, never moving the others', () => {
    const before = addAusToKeyMap([], [1, 2, 4, 6, 7, 12, 14, 15, 17])
    const after = addAusToKeyMap(before, [5, 1, 12])
    // AU5 sorts between AU4 and AU6 but takes the free key 0; AU6 keeps key 4.
    expect(after.find((e) => e.au === 5)?.key).toBe(0)
    for (const entry of before) expect(after).toContainEqual(entry)
    // All ten keys taken: the next new AU gets none.
    expect(addAusToKeyMap(after, [20]).find((e) => e.au === 20)).toEqual({ au: 20, key: null })
  })

  it('fills a key freed by hand before giving none', () => {
    const map = bindAuKey(addAusToKeyMap([], [1, 2, 4]), 2, null)
    expect(addAusToKeyMap(map, [9])).toEqual([
      { au: 1, key: 1 },
      { au: 2, key: null },
      { au: 4, key: 3 },
      { au: 9, key: 2 },
    ])
  })
})

describe('bindAuKey', () => {
  const map = addAusToKeyMap([], [1, 2, 4])

  it('moves a key to another AU, which frees its old key and unbinds the key’s old AU', () => {
    expect(bindAuKey(map, 4, 1)).toEqual([
      { au: 1, key: null },
      { au: 2, key: 2 },
      { au: 4, key: 1 },
    ])
  })

  it('adds an AU the map does not know, and takes a key away with null', () => {
    expect(bindAuKey(map, 25, 0)).toContainEqual({ au: 25, key: 0 })
    expect(bindAuKey(map, 1, null)[0]).toEqual({ au: 1, key: null })
  })
})

describe('keys and slots', () => {
  it('reads slot 0 as key 1 and slot 9 as key 0, and finds the AU of a key', () => {
    expect(keyOfSlot(0)).toBe(1)
    expect(keyOfSlot(9)).toBe(0)
    expect(keyOfSlot(10)).toBeUndefined()
    const map = addAusToKeyMap([], [12, 14])
    expect(auOfKey(map, 2)).toBe(14)
    expect(auOfKey(map, 3)).toBeUndefined()
  })
})
