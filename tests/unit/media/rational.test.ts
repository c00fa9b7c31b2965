import { describe, expect, it } from 'vitest'
import {
  parseRational,
  rational,
  rationalText,
  toRational,
} from '../../../src/engine/media/rational'

describe('rational frame rates', () => {
  it('parses and reduces ffmpeg rationals', () => {
    expect(parseRational('30000/1001')).toEqual({ num: 30000, den: 1001 })
    expect(parseRational('400/2')).toEqual({ num: 200, den: 1 })
    expect(parseRational('25')).toEqual({ num: 25, den: 1 })
    expect(['0/0', '0/1', '1/0', '', 'abc', '-25/1', '29.97'].map(parseRational)).toEqual(
      new Array(7).fill(null),
    )
  })

  it('turns numbers into exact rationals', () => {
    expect(toRational(200)).toEqual({ num: 200, den: 1 })
    expect(toRational(29.97)).toEqual({ num: 2997, den: 100 })
    expect(toRational(12.5)).toEqual({ num: 25, den: 2 })
    expect(toRational({ num: 60000, den: 2002 })).toEqual({ num: 30000, den: 1001 })
    expect(
      [0, -1, Number.NaN, Number.POSITIVE_INFINITY, Math.PI].map((n) => toRational(n)),
    ).toEqual(new Array(5).fill(null))
  })

  it('refuses non-integers and writes num/den', () => {
    expect(rational(1.5, 1)).toBeNull()
    expect(rationalText({ num: 30000, den: 1001 })).toBe('30000/1001')
  })
})
