import { describe, expect, it } from 'vitest'
import {
  auTable,
  pairTable,
  reliabilityReport,
  summaryTable,
  tableCsv,
  type ReliabilityClip,
} from '../../../src/shared/reliability'

/*
 * Two coders (1 = A, 2 = B) on two clips, AU universe {1, 2, 4, 12}; every expected value
 * below is worked by hand in the comments.
 */
const clips: ReliabilityClip[] = [
  {
    clipId: 10,
    label: 'sub01/EP01',
    fps: 200,
    codes: [
      { coderId: 1, aus: [1, 2], markers: { onset: 10, apex: 15, offset: 30 } },
      { coderId: 2, aus: [1, 2, 4], markers: { onset: 12, apex: 15, offset: 28 } },
    ],
  },
  {
    clipId: 11,
    label: 'sub01/EP02',
    fps: 100,
    codes: [
      { coderId: 1, aus: [12], markers: { onset: 100, apex: 110, offset: 120 } },
      { coderId: 2, aus: [4], markers: { onset: 100, apex: null, offset: 125 } },
    ],
  },
  // Coded by one coder only: never part of an agreement.
  {
    clipId: 12,
    label: 'sub02/EP01',
    fps: 200,
    codes: [{ coderId: 1, aus: [1], markers: { onset: 1, apex: 2, offset: 3 } }],
  },
]

describe('reliabilityReport with two coders', () => {
  const report = reliabilityReport(clips, [1, 2], [1, 2, 4, 12])

  it('per clip: agreement ratio, kappa over the AU universe, timing and IoU', () => {
    expect(report.perClip.map((c) => c.clipId)).toEqual([10, 11])
    const [c1, c2] = report.perClip
    // Clip 10: {1,2} vs {1,2,4}: 2·2/5. Decisions A 1100, B 1110: pₒ 3/4, pₑ 1/2·3/4 + 1/2·1/4 = 1/2, κ 1/2.
    expect(c1.agreementRatio).toBeCloseTo(0.8, 12)
    expect(c1.cohenKappa).toBeCloseTo(0.5, 12)
    // Onset 2 frames = 10 ms at 200 fps, apex 0, offset 2; spans [10,30] and [12,28]: 17/21.
    expect(c1.onset).toEqual({ frames: 2, ms: 10 })
    expect(c1.apex).toEqual({ frames: 0, ms: 0 })
    expect(c1.offset).toEqual({ frames: 2, ms: 10 })
    expect(c1.iou).toBeCloseTo(17 / 21, 12)
    // Clip 11: {12} vs {4}: 0. Decisions A 0001, B 0010: pₒ 1/2, pₑ 1/16 + 9/16, κ = −1/3.
    expect(c2.agreementRatio).toBe(0)
    expect(c2.cohenKappa).toBeCloseTo(-1 / 3, 12)
    expect(c2.apex).toBeNull()
    expect(c2.offset).toEqual({ frames: 5, ms: 50 })
    expect(c2.iou).toBeCloseTo(21 / 26, 12)
    expect(c1.fleissKappa).toBeNull()
  })

  it('per pair: mean ratio, kappa pooled over all 8 decisions, mean |Δ| and IoU', () => {
    expect(report.pairs).toHaveLength(1)
    const pair = report.pairs[0]
    expect(pair).toMatchObject({ coderA: 1, coderB: 2, clips: 2 })
    expect(pair.agreementRatio).toBeCloseTo(0.4, 12)
    // A 1100 0001, B 1110 0010: tp 2, fp 2, fn 1, tn 3; pₒ 5/8, pₑ 3/8·4/8 + 5/8·4/8 = 1/2.
    expect(pair.cohenKappa).toBeCloseTo(0.25, 12)
    expect(pair.onset).toEqual({ frames: 1, ms: 5 })
    expect(pair.apex).toEqual({ frames: 0, ms: 0 })
    expect(pair.offset).toEqual({ frames: 3.5, ms: 30 })
    expect(pair.iou).toBeCloseTo((17 / 21 + 21 / 26) / 2, 12)
  })

  it('per AU: ratio and kappa over the clips both coded', () => {
    const byAu = Object.fromEntries(report.perAu.map((a) => [a.au, a]))
    expect(report.universe).toEqual([1, 2, 4, 12])
    // AU 1: both on clip 10 only → ratio 1, κ 1 (A 10, B 10). A also scored it on clip 12,
    // which B did not code: not one of the shared clips, so not counted in "scored by".
    expect(byAu[1]).toMatchObject({ agreementRatio: 1, cohenKappa: 1, scoredBy: [1, 1], clips: 2 })
    // AU 4: B on both clips, A on none → ratio 0; A 00, B 11: pₒ 0, pₑ 0 → κ 0.
    expect(byAu[4]).toMatchObject({ agreementRatio: 0, cohenKappa: 0, scoredBy: [0, 2] })
    // AU 12: A on clip 11 → ratio 0; A 01, B 00: pₒ 1/2, pₑ 1/2 → κ 0.
    expect(byAu[12]).toMatchObject({ agreementRatio: 0, cohenKappa: 0, scoredBy: [1, 0] })
  })

  it('summary: clips coded by two, mean ratio, the pair’s kappa, mean timing', () => {
    expect(report.summary).toMatchObject({ clips: 2, fleissKappa: null })
    expect(report.summary.agreementRatio).toBeCloseTo(0.4, 12)
    expect(report.summary.cohenKappa).toBeCloseTo(0.25, 12)
    expect(report.summary.onset).toEqual({ frames: 1, ms: 5 })
    expect(report.summary.offset).toEqual({ frames: 3.5, ms: 30 })
  })
})

describe('reliabilityReport with three coders', () => {
  it('gives Fleiss’ kappa over the clips every coder coded', () => {
    const withC: ReliabilityClip[] = [
      {
        ...clips[0],
        codes: [
          ...clips[0].codes,
          { coderId: 3, aus: [1], markers: { onset: 11, apex: 15, offset: 29 } },
        ],
      },
      clips[1],
    ]
    const report = reliabilityReport(withC, [1, 2, 3], [1, 2, 4, 12])
    // Clip 10, AUs 1, 2, 4, 12 have 3, 2, 1, 0 yes votes: κ = 1/3 (see measures.test.ts).
    expect(report.summary.fleissKappa).toBeCloseTo(1 / 3, 12)
    expect(report.perClip[0].fleissKappa).toBeCloseTo(1 / 3, 12)
    expect(report.pairs.map((p) => [p.coderA, p.coderB, p.clips])).toEqual([
      [1, 2, 2],
      [1, 3, 1],
      [2, 3, 1],
    ])
    // Clip 10 pairs: A–B 0.8, A–C 2/3, B–C 2·1/4 = 0.5.
    expect(report.perClip[0].agreementRatio).toBeCloseTo((0.8 + 2 / 3 + 0.5) / 3, 12)
  })

  it('leaves coders who were not chosen out', () => {
    const report = reliabilityReport(clips, [1, 3], [1])
    expect(report.pairs[0].clips).toBe(0)
    expect(report.summary.clips).toBe(0)
    expect(report.summary.agreementRatio).toBeNull()
  })
})

describe('tables and CSV', () => {
  const report = reliabilityReport(clips, [1, 2], [1, 2, 4, 12])
  const names = (id: number) => (id === 1 ? 'Ann, "A"' : 'Bo')

  it('writes RFC 4180 CSV with quoted names and empty undefined measures', () => {
    const csv = tableCsv(pairTable(report, names))
    const [header, row] = csv.split('\r\n')
    expect(
      header.startsWith("Coder A,Coder B,Clips,Agreement ratio,Cohen's κ,|Δ onset| frames"),
    ).toBe(true)
    expect(row.startsWith('"Ann, ""A""",Bo,2,0.4,0.25,1,5,0,0,3.5,30,')).toBe(true)
    expect(csv.endsWith('\r\n')).toBe(true)
    const summary = tableCsv(summaryTable(report)).split('\r\n')[1].split(',')
    expect(summary[3]).toBe('') // Fleiss' kappa needs three coders
  })

  it('gives every measure column its definition for the tooltip', () => {
    const table = auTable(report, names)
    const ratio = table.columns.find((c) => c.label.startsWith('Agreement ratio'))
    expect(ratio?.definition).toContain('2·|A∩B| / (|A| + |B|)')
    expect(table.rows[0][0]).toBe('AU1 Inner Brow Raiser')
  })
})
