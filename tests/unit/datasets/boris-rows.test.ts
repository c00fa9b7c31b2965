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
