import { describe, expect, it } from 'vitest'
import { AU_CATALOGUE, auDisplayName, auInfo, isKnownAu } from '../../../src/shared/facs'

describe('AU catalogue', () => {
  it('has every AU the ME datasets code, with its region', () => {
    const expected: Record<number, string> = {
      1: 'brows',
      2: 'brows',
      4: 'brows',
      5: 'eyes',
      6: 'cheeks',
      7: 'eyes',
      9: 'nose',
      10: 'mouth',
      11: 'cheeks',
      12: 'mouth',
      14: 'mouth',
      15: 'mouth',
      16: 'mouth',
      17: 'chin',
      18: 'mouth',
      20: 'mouth',
      23: 'mouth',
      24: 'mouth',
      25: 'mouth',
      26: 'jaw',
      38: 'nose',
      39: 'nose',
      43: 'eyes',
    }
    for (const [au, region] of Object.entries(expected))
      expect(auInfo(Number(au))?.region).toBe(region)
  })

  it('has the head and eye position codes CASME II and SAMM use', () => {
    for (const au of [51, 52, 53, 54, 55, 56, 57, 58]) expect(auInfo(au)?.kind).toBe('head')
    for (const au of [61, 62, 63, 64]) expect(auInfo(au)?.kind).toBe('eye')
  })

  it('names AUs as FACS does', () => {
    expect(auInfo(12)?.name).toBe('Lip Corner Puller')
    expect(auInfo(14)?.name).toBe('Dimpler')
    expect(auInfo(17)?.name).toBe('Chin Raiser')
    expect(auDisplayName(4)).toBe('AU4 Brow Lowerer')
    expect(auDisplayName(3)).toBe('AU3')
  })

  it('is sorted, unique and within the 1–99 the library accepts', () => {
    const numbers = AU_CATALOGUE.map((a) => a.au)
    expect(numbers).toEqual([...new Set(numbers)].sort((a, b) => a - b))
    expect(numbers.every((n) => n >= 1 && n <= 99)).toBe(true)
  })

  it('knows which numbers FACS lacks', () => {
    expect(isKnownAu(3)).toBe(false)
    expect(isKnownAu(47)).toBe(false)
    expect(isKnownAu(12)).toBe(true)
  })
})
