import { describe, expect, it } from 'vitest'
import { hashString, Rng } from '../../../src/engine/datasets/synthetic/prng'

describe('Rng', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = Rng.from(7, 'subject', 1)
    const b = Rng.from(7, 'subject', 1)
    const c = Rng.from(7, 'subject', 2)
    const seqA = Array.from({ length: 20 }, () => a.next())
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA)
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(seqA)
  })

  it('stays in range', () => {
    const rng = new Rng(1)
    for (let i = 0; i < 2000; i++) {
      const u = rng.next()
      expect(u >= 0 && u < 1).toBe(true)
      const n = rng.int(3, 5)
      expect(Number.isInteger(n) && n >= 3 && n <= 5).toBe(true)
    }
  })

  it('draws roughly normal numbers with the asked spread', () => {
    const rng = new Rng(42)
    const xs = Array.from({ length: 20000 }, () => rng.normal(2))
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length)
    expect(Math.abs(mean)).toBeLessThan(0.05)
    expect(Math.abs(sd - 2)).toBeLessThan(0.05)
  })

  it('forks without advancing the parent', () => {
    const a = new Rng(3)
    const b = new Rng(3)
    a.fork('x').next()
    expect(a.next()).toBe(b.next())
  })

  it('hashes strings with FNV-1a', () => {
    expect(hashString('')).toBe(0x811c9dc5)
    expect(hashString('a')).toBe(0xe40c292c)
  })
})
