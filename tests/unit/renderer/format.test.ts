import { describe, expect, it } from 'vitest'
import {
  formatDuration,
  formatMeasure,
  formatNumber,
  formatTableCell,
  formatTimestamp,
  plural,
} from '../../../src/renderer/src/lib/format'

/** The expected local "YYYY-MM-DD HH:MM" of a UTC instant, computed independently. */
function local(iso: string): string {
  const d = new Date(iso)
  const two = (n: number) => (n < 10 ? `0${n}` : `${n}`)
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`
}

describe('formatTimestamp', () => {
  it('reads SQLite timestamps as UTC and shows ISO dates in local time, to the minute', () => {
    expect(formatTimestamp('2026-11-28 10:42:27')).toBe(local('2026-11-28T10:42:27Z'))
    expect(formatTimestamp('2026-11-28T23:59:59.004Z')).toBe(local('2026-11-28T23:59:59.004Z'))
    expect(formatTimestamp('2026-11-28T23:59:59.004Z')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
  })
  it('gives back text it cannot read', () => {
    expect(formatTimestamp('yesterday')).toBe('yesterday')
  })
})

describe('formatNumber', () => {
  it('keeps integers, rounds to three decimals without trailing zeros', () => {
    expect(formatNumber(12)).toBe('12')
    expect(formatNumber(0.5)).toBe('0.5')
    expect(formatNumber(0.12345)).toBe('0.123')
    expect(formatNumber(0.1)).toBe('0.1')
    expect(formatNumber(-2.0004)).toBe('-2')
  })
  it('writes tiny magnitudes in scientific notation', () => {
    expect(formatNumber(0.0001)).toBe('1e-4')
    expect(formatNumber(0.0005)).toBe('5e-4')
  })
})

describe('formatMeasure', () => {
  it('gives table measures three decimals, and a dash for none', () => {
    expect(formatMeasure(0.5)).toBe('0.500')
    expect(formatMeasure(1)).toBe('1.000')
    expect(formatMeasure(0.12345)).toBe('0.123')
    expect(formatMeasure(null)).toBe('—')
    expect(formatMeasure(Number.NaN)).toBe('—')
  })
})

describe('plural', () => {
  it('puts the noun in the right number', () => {
    expect(plural(1, 'clip')).toBe('1 clip')
    expect(plural(0, 'clip')).toBe('0 clips')
    expect(plural(2, 'clip')).toBe('2 clips')
    expect(plural(3, 'person', 'people')).toBe('3 people')
  })
})

describe('formatDuration', () => {
  it('gives the largest two units, one decimal under 10 s', () => {
    expect(formatDuration(0)).toBe('0 s')
    expect(formatDuration(2_540)).toBe('2.5 s')
    expect(formatDuration(9_949)).toBe('9.9 s')
    expect(formatDuration(9_950)).toBe('10 s')
    expect(formatDuration(42_400)).toBe('42 s')
    expect(formatDuration(59_600)).toBe('1 min')
    expect(formatDuration(185_000)).toBe('3 min 5 s')
    expect(formatDuration(3_599_000)).toBe('59 min 59 s')
    expect(formatDuration(3_600_000)).toBe('1 h')
    expect(formatDuration(7_620_000)).toBe('2 h 7 min')
  })
  it('gives a dash for what is not a duration', () => {
    expect(formatDuration(-1)).toBe('—')
    expect(formatDuration(Number.NaN)).toBe('—')
  })
})

describe('formatTableCell', () => {
  it('gives measures three decimals, other numbers as formatNumber, text as it is', () => {
    expect(formatTableCell(0.4, true)).toBe('0.400')
    expect(formatTableCell(0.18181, true)).toBe('0.182')
    expect(formatTableCell(12, false)).toBe('12')
    expect(formatTableCell(2.5, false)).toBe('2.5')
    expect(formatTableCell('Ann', true)).toBe('Ann')
  })
  it('gives a dash for no value', () => {
    expect(formatTableCell(null, true)).toBe('—')
    expect(formatTableCell(Number.NaN, false)).toBe('—')
  })
})
