import { describe, expect, it } from 'vitest'
import type { BatchTable } from '../../../src/shared/ml'
import { occurrenceBySubject } from '../../../src/renderer/src/batch/occurrence'
import { batchCsv } from '../../../src/shared/batch-table'

const row = (subject: string, clip: string, probabilities: (number | null)[]) => ({
  clipId: 0,
  subject,
  clip,
  file: `/v/${subject}/${clip}.mkv`,
  video: `${clip}.mkv`,
  kind: 'clip' as const,
  fps: 100,
  onset: 1,
  apex: 12,
  offset: 40,
  apexSource: 'spotted' as const,
  score: null,
  probabilities: probabilities as number[],
})

const table: BatchTable = {
  datasetId: 1,
  modelId: 2,
  aus: ['4', '12'],
  participants: [],
  rows: [
    row('p1', 'a', [0.9, 0.1]),
    row('p1', 'b', [0.5, 0.2]),
    row('p1', 'c', [0.2, null]),
    row('p2', 'a', [0.1, 0.7]),
  ],
  thresholds: { values: [0.5, 0.5], source: 'default' },
}

describe('occurrenceBySubject', () => {
  it('is the share of a participant’s clips with p ≥ 0.5, per AU', () => {
    const o = occurrenceBySubject(table)
    expect(o.subjects).toEqual(['p1', 'p2'])
    expect(o.clips).toEqual([3, 1])
    // AU4: p1 has 0.9 and 0.5 of three → 2/3; p2 none of one → 0.
    // AU12: p1 has no yes of two known (one missing) → 0; p2 has 1 of 1.
    expect(o.shares[0][0]).toBeCloseTo(2 / 3, 12)
    expect(o.shares[0][1]).toBe(0)
    expect(o.shares[1]).toEqual([0, 1])
  })
  it("follows each AU's threshold and has null for a participant without a value", () => {
    const t: BatchTable = {
      ...table,
      rows: [row('p1', 'a', [0.9, null])],
      thresholds: { values: [0.95, 0.5], source: 'model' },
    }
    expect(occurrenceBySubject(t).shares).toEqual([[0], [null]])
    // The model's AU4 threshold of 0.2 makes p1's 0.2 a yes: 3 of 3.
    const low: BatchTable = { ...table, thresholds: { values: [0.2, 0.5], source: 'model' } }
    expect(occurrenceBySubject(low).shares[0]).toEqual([1, 0])
  })
})

describe('batchCsv', () => {
  it('writes the engine’s columns with 4 decimals, one line per event, then the decisions naming their thresholds', () => {
    const csv = batchCsv({
      ...table,
      rows: [row('p1', 'a, b', [0.123456, null])],
      thresholds: { values: [0.12, 0.5], source: 'model' },
    })
    expect(csv).toBe(
      'Subject,Video,Kind,Onset Frame,Apex Frame,Offset Frame,Onset (s),Apex (s),Offset (s),' +
        'Duration (ms),Score,Apex Source,Clip,File,AU4,AU12,' +
        "AU4 present (p ≥ 0.12; model's threshold),AU12 present (p ≥ 0.5; model's threshold)\r\n" +
        'p1,"a, b.mkv",clip,1,12,40,0.000,0.110,0.390,400.000,,spotted,"a, b","/v/p1/a, b.mkv",' +
        '0.1235,,1,\r\n',
    )
    const set = batchCsv({ ...table, rows: [], thresholds: { values: [0.5, 0.5], source: 'user' } })
    expect(set.split('\r\n')[0]).toContain('AU12 present (p ≥ 0.5; threshold set for the batch)')
  })
})
