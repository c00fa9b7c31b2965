import { describe, expect, it } from 'vitest'
import { KEY_LEGEND, viewerAction, type KeyPress } from '../../../src/renderer/src/viewer/key-map'
import { magnifiedUrls, timelineCurveOf } from '../../../src/renderer/src/viewer/signal-frames'
import { CURVE_HEIGHT, timelineHeight } from '../../../src/renderer/src/viewer/timeline-geometry'

const key = (k: string, extra: Partial<KeyPress> = {}): KeyPress => ({
  key: k,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...extra,
})

describe('the magnified view and apex spotting in the viewer', () => {
  it('toggles the magnified view with m and spots / goes to the suggested apex with s', () => {
    expect(viewerAction(key('m'))).toEqual({ type: 'magnified' })
    expect(viewerAction(key('s'))).toEqual({ type: 'suggestedApex' })
    expect(viewerAction(key('M', { shiftKey: true }))).toBeNull()
    expect(viewerAction(key('s', { ctrlKey: true }))).toBeNull()
    expect(KEY_LEGEND.map(([k]) => k)).toEqual(expect.arrayContaining(['m', 's']))
  })

  it('makes room for the apex curve between the axis and the lanes', () => {
    expect(timelineHeight(2, true) - timelineHeight(2)).toBe(CURVE_HEIGHT)
    expect(timelineHeight(2, false)).toBe(timelineHeight(2))
  })

  it('lays the curve and the magnified frames on the viewer’s frames by number', () => {
    const curve = {
      clipId: 1,
      paramsKey: '0123456789abcdef',
      params: { windowLength: 61, grid: 6, radius: 31 },
      numbers: [11, 12, 14],
      scores: [1, 3, 2],
      apexFrame: 12,
      apexIndex: 1,
      createdAt: '',
    }
    expect(timelineCurveOf([10, 11, 12, 13, 14], curve)).toEqual({
      scores: [null, 1, 3, null, 2],
      apexIndex: 2,
    })
    const magnified = {
      clipId: 1,
      paramsKey: '0123456789abcdef',
      settings: { alpha: 10, lambdaC: 16, r1: 0.4, r2: 0.05, chromAttenuation: 0.1 },
      frames: [
        { number: 10, key: 'a' },
        { number: 12, key: 'b' },
      ],
    }
    expect(magnifiedUrls([10, 11, 12], magnified, (k) => `/frames/${k}.png`)).toEqual([
      '/frames/a.png',
      null,
      '/frames/b.png',
    ])
  })
})
