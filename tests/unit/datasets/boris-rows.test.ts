import { describe, expect, it } from 'vitest'
import { borisRows } from '../../../src/engine/datasets/export/boris-export'
import type { ExportClip, ExportCodes } from '../../../src/engine/datasets/export/coded-rows'

const clip: ExportClip = {
  clipId: 1,
  subject: 'sub01',
  name: 'EP02_01',
  sourceKind: 'frames',
  sourcePath: '/data/sub01/EP02_01',
  fps: 200,
  firstFrame: 46,
  frameCount: 60,
  width: 64,
  height: 64,
  emotion: null,
  codes: [],
}
const ann: ExportCodes & { onset: number; offset: number } = {
  coder: 'Ann',
  coderKind: 'human',
  onset: 48,
  apex: 55,
  offset: 66,
  apexEstimated: false,
  labels: [
    { au: 4, side: null, intensity: 'E' },
    { au: 14, side: 'R', intensity: 'B' },
  ],
}
const date = '2026-12-07 04:00:00'
const observation = [
  'sub01/EP02_01/Ann',
  date,
  'coded by Ann',
  '/data/sub01/EP02_01',
  '0.300',
  200,
  'sub01',
]

describe('BORIS aggregated events', () => {
  it('gives the README example: a state event per AU over onset–offset, the apex as a point', () => {
    expect(borisRows(clip, ann, date)).toEqual([
      [...observation, 'AU4', 'brows', 'None|E', 'STATE', '0.010', '0.105', '0.095', '', ''],
      [...observation, 'AU14', 'mouth', 'R|B', 'STATE', '0.010', '0.105', '0.095', '', ''],
      [...observation, 'apex', 'timing', '', 'POINT', '0.045', '0.045', '0.000', '', ''],
    ])
  })

  it('marks an estimated apex in its comment and leaves a missing apex out', () => {
    const estimated = borisRows(clip, { ...ann, apexEstimated: true }, date)
    expect(estimated.at(-1)?.[14]).toBe('estimated')
    expect(borisRows(clip, { ...ann, apex: null }, date)).toHaveLength(2)
  })
})

describe('BORIS times of a clip cut from a video', () => {
  it("counts from the video's first frame, so a clip of a long recording lands where it lies", () => {
    // Frames 101–160 of a 200 fps recording: onset 120 starts at 119 × 5 ms = 0.595 s.
    const spotted: ExportClip = {
      ...clip,
      name: 'interview@100-159',
      sourceKind: 'video',
      sourcePath: '/data/sub01/interview.mp4',
      firstFrame: 101,
    }
    const rows = borisRows(spotted, { ...ann, onset: 120, apex: 130, offset: 140 }, date)
    expect(rows[0].slice(11, 14)).toEqual(['0.595', '0.700', '0.105'])
    expect(rows.at(-1)?.slice(11, 13)).toEqual(['0.645', '0.645'])
    // Total length: the end of the clip's last frame (160) on the recording's timeline.
    expect(rows[0][4]).toBe('0.800')
  })
})
