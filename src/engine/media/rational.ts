/** An exact frame rate: 200/1, 30000/1001. Always reduced, both parts positive integers. */
export interface Rational {
  num: number
  den: number
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b]
  return a
}

/** num/den reduced to lowest terms; null unless both are positive integers. */
export function rational(num: number, den: number): Rational | null {
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den) || num <= 0 || den <= 0) return null
  const g = gcd(num, den)
  return { num: num / g, den: den / g }
}

/** Parses ffmpeg's 'num/den' (or a bare integer); null for '0/0', '0/1' and anything else. */
export function parseRational(text: string): Rational | null {
  const match = /^\s*(\d+)(?:\s*\/\s*(\d+))?\s*$/.exec(text)
  return match ? rational(Number(match[1]), Number(match[2] ?? '1')) : null
}

/**
 * A frame rate given as a number or a Rational, as a Rational: integers become n/1 and
 * decimals keep their digits (29.97 → 2997/100; pass {num: 30000, den: 1001} for NTSC).
 */
export function toRational(rate: number | Rational): Rational | null {
  if (typeof rate !== 'number') return rational(rate.num, rate.den)
  if (!Number.isFinite(rate) || rate <= 0) return null
  for (let den = 1; den <= 1_000_000; den *= 10) {
    const num = rate * den
    if (Math.abs(num - Math.round(num)) < 1e-9 * num) return rational(Math.round(num), den)
  }
  return null
}

/** 'num/den', the form ffmpeg options take. */
export function rationalText(rate: Rational): string {
  return `${rate.num}/${rate.den}`
}
