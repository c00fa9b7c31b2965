/**
 * A small seeded random source (mulberry32) with named sub-streams, so that each subject and
 * clip draws from its own stream and adding one clip does not reshuffle the others. Only
 * integer arithmetic and correctly rounded float operations: the same seed gives the same
 * numbers on every platform.
 */
export class Rng {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** A stream derived from a seed and a path of labels: `Rng.from(7, 'subject', 3)`. */
  static from(...parts: (string | number)[]): Rng {
    return new Rng(hashString(parts.join('/')))
  }

  /** A sub-stream of this one, named by labels (does not advance this stream). */
  fork(...parts: (string | number)[]): Rng {
    return new Rng(hashString(`${this.state}/${parts.join('/')}`))
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next()
  }

  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1))
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p
  }

  /**
   * Roughly normal (sum of four uniforms, Irwin–Hall), mean 0, standard deviation `sd`;
   * no transcendental functions, so it is bit-identical everywhere.
   */
  normal(sd = 1): number {
    const sum = this.next() + this.next() + this.next() + this.next()
    return (sum - 2) * 1.7320508075688772 * sd
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items]
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      ;[out[i], out[j]] = [out[j], out[i]]
    }
    return out
  }
}

/** FNV-1a hash of a string to an unsigned 32-bit seed. */
export function hashString(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}
