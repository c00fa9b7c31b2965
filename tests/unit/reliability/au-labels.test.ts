import { describe, expect, it } from 'vitest'
import {
  MIN_CLIPS,
  auLabelAgreement,
  auTable,
  fewClipsWarning,
  pairTable,
  reliabilityReport,
  summaryTable,
  type AuMark,
  type ReliabilityClip,
} from '../../../src/shared/reliability'

const mark = (code: string): AuMark => {
  const [, side, au, intensity] = /^([LRTB]?)(\d+)([A-E]?)$/.exec(code) ?? []
  return {
    au: Number(au),
    side: (side || null) as AuMark['side'],
    intensity: (intensity || null) as AuMark['intensity'],
  }
}
const marks = (...codes: string[]) => codes.map(mark)

describe('auLabelAgreement (one pair, one AU)', () => {
  it('tells agreement on the AU from agreement on side and intensity (worked values)', () => {
    const result = auLabelAgreement([
      { a: marks('L12B'), b: marks('R12B') }, // same AU, other side, same intensity
      { a: marks('R12B'), b: marks('R12C') }, // same side, other intensity
      { a: marks('12'), b: marks('12') }, // the same in every way
      { a: marks('L12', 'R12'), b: marks('R12', 'L12') }, // the same sides in another order
      { a: marks('12'), b: [] }, // only A scored it
      { a: [], b: [] }, // neither
    ])
    // A scored it on 5 clips, B on 4, both on 4. Same sides on clips 2, 3, 4 (S = 3); same
    // sides and intensities on 3, 4 (F = 2); same intensity letters on 1, 3, 4 (I = 3).
    expect(result.bothScored).toBe(4)
    expect(result.withSide).toBeCloseTo((2 * 3) / 9, 12)
    expect(result.withSideAndIntensity).toBeCloseTo((2 * 2) / 9, 12)
    expect(result.side).toBeCloseTo(3 / 4, 12)
    expect(result.intensity).toBeCloseTo(3 / 4, 12)
  })

  it('is empty where nothing was scored by both (0/0), not 0', () => {
    expect(auLabelAgreement([{ a: marks('4'), b: [] }])).toEqual({
      bothScored: 0,
      withSide: 0,
      withSideAndIntensity: 0,
      side: null,
      intensity: null,
    })
    expect(auLabelAgreement([]).withSide).toBeNull()
  })
})

describe('fewClipsWarning', () => {
  it(`warns below ${MIN_CLIPS} clips and says how many`, () => {
    expect(MIN_CLIPS).toBe(10)
    expect(fewClipsWarning(1, 1)).toBe(
      'Fewer than 10 clips: ratio and κ rest on 1 clip coded by two; side and intensity on 1 clip both scored.',
    )
    expect(fewClipsWarning(12, 3)).toBe(
      'Fewer than 10 clips: side and intensity on 3 clips both scored.',
    )
    expect(fewClipsWarning(9, 0)).toBe(
      'Fewer than 10 clips: ratio and κ rest on 9 clips coded by two.',
    )
    expect(fewClipsWarning(10, 10)).toBeNull()
    expect(fewClipsWarning(40, 0)).toBeNull()
  })
})

describe('the per-AU table with sides and intensities', () => {
  // Coders 1 and 2 on two clips; coder 1 alone on a third.
  const clips: ReliabilityClip[] = [
    {
      clipId: 1,
      label: 's/1',
      fps: 200,
      codes: [
        { coderId: 1, aus: [12], labels: marks('L12B'), markers: none() },
        { coderId: 2, aus: [12], labels: marks('R12B'), markers: none() },
      ],
    },
    {
      clipId: 2,
      label: 's/2',
      fps: 200,
      codes: [
        { coderId: 1, aus: [12], labels: marks('R12C'), markers: none() },
        { coderId: 2, aus: [12], labels: marks('R12C'), markers: none() },
      ],
    },
    {
      clipId: 3,
      label: 's/3',
      fps: 200,
      codes: [{ coderId: 1, aus: [12], labels: marks('12'), markers: none() }],
    },
  ]
  const report = reliabilityReport(clips, [1, 2], [12])

  it('counts, compares and warns over the same two shared clips', () => {
    const [au12] = report.perAu
    // Shared clips: 1 and 2 (clip 3 only coder 1 coded). L12 vs R12 agrees on the AU only.
    expect(au12).toMatchObject({ clips: 2, scoredBy: [2, 2], agreementRatio: 1, bothScored: 2 })
    expect(au12.withSide).toBeCloseTo(0.5, 12) // 2·1 / (2 + 2)
    expect(au12.withSideAndIntensity).toBeCloseTo(0.5, 12)
    expect(au12.side).toBeCloseTo(0.5, 12)
    expect(au12.intensity).toBe(1) // B and B, C and C
    // Every clip says yes for both coders: pₑ = 1, kappa undefined.
    expect(au12.cohenKappa).toBeNull()
    expect(au12.warning).toBe(
      'Fewer than 10 clips: ratio and κ rest on 2 clips coded by two; side and intensity on 2 clips both scored.',
    )
  })

  it('shows the new columns with their definitions as tooltips', () => {
    const table = auTable(report, (id) => `C${id}`)
    const labels = table.columns.map((c) => c.label)
    expect(labels).toEqual([
      'AU',
      'Clips',
      'Scored by C1',
      'Scored by C2',
      'Agreement ratio (AU)',
      'Ratio with side',
      'Ratio with side + intensity',
      "Cohen's κ",
      "Fleiss' κ",
      'Clips both scored',
      'Side agreement',
      'Intensity agreement',
      'Warning',
    ])
    expect(table.columns.slice(1).every((c) => c.definition)).toBe(true)
    expect(table.columns[5].definition).toContain('L12 against R12 is a disagreement')
    expect(table.rows[0].slice(1, 4)).toEqual([2, 2, 2])
  })

  it('warns in the summary and per pair too, where they rest on too few clips', () => {
    const summary = summaryTable(report)
    expect(summary.columns.at(-1)?.label).toBe('Warning')
    expect(summary.rows[0].at(-1)).toBe(
      'Fewer than 10 clips: ratio and κ rest on 2 clips coded by two.',
    )
    expect(pairTable(report, String).rows[0].at(-1)).toBe(summary.rows[0].at(-1))
  })
})

function none() {
  return { onset: null, apex: null, offset: null }
}
