import { describe, expect, it } from 'vitest'
import { parseRoute, routeHash } from '../../../src/renderer/src/lib/route'
import {
  frameMs,
  indexAt,
  lanesTop,
  timelineHeight,
} from '../../../src/renderer/src/viewer/timeline-geometry'
import { zoomBox } from '../../../src/renderer/src/viewer/zoom-regions'

describe('routes', () => {
  it('reads and writes the screens of the address hash', () => {
    expect(parseRoute('#/clip/12')).toEqual({ screen: 'clip', clipId: 12 })
    expect(parseRoute('#/reliability/3')).toEqual({ screen: 'reliability', datasetId: 3 })
    expect(parseRoute('#/reliability')).toEqual({ screen: 'reliability', datasetId: null })
    for (const bad of ['', '#/clip/0', '#/clip/x', '#/clip/-2', '#/nowhere']) {
      expect(parseRoute(bad)).toEqual({ screen: 'library' })
    }
    expect(parseRoute('#/models/4')).toEqual({ screen: 'model', modelId: 4 })
    expect(parseRoute('#/models/x')).toEqual({ screen: 'models' })
    expect(routeHash({ screen: 'model', modelId: 4 })).toBe('#/models/4')
    expect(parseRoute('#/review/4')).toEqual({ screen: 'review', datasetId: 4, modelId: null })
    expect(parseRoute('#/review/4/9')).toEqual({ screen: 'review', datasetId: 4, modelId: 9 })
    expect(parseRoute('#/review/4/x')).toEqual({ screen: 'review', datasetId: 4, modelId: null })
    // A model only goes with a dataset.
    expect(parseRoute('#/review/x/9')).toEqual({ screen: 'review', datasetId: null, modelId: null })
    expect(routeHash({ screen: 'review', datasetId: null, modelId: 9 })).toBe('#/review')
    expect(routeHash({ screen: 'review', datasetId: 4 })).toBe('#/review/4')
    expect(parseRoute('#/train')).toEqual({ screen: 'train' })
    for (const hash of [
      '#/clip/7',
      '#/reliability/2',
      '#/reliability',
      '#/library',
      '#/train',
      '#/models',
      '#/review',
      '#/review/5',
      '#/review/5/2',
      '#/batch',
    ]) {
      expect(routeHash(parseRoute(hash))).toBe(hash)
    }
  })
})

describe('zoomBox', () => {
  it('places the regions in the frame and stays inside it', () => {
    expect(zoomBox('face', { width: 640, height: 480 })).toEqual({
      x: 0,
      y: 0,
      width: 640,
      height: 480,
    })
    expect(zoomBox('eyes', { width: 640, height: 480 })).toEqual({
      x: 77,
      y: 144,
      width: 486,
      height: 120,
    })
    for (const region of ['brows', 'eyes', 'mouth'] as const) {
      const box = zoomBox(region, { width: 160, height: 160 })
      expect(box.x + box.width).toBeLessThanOrEqual(160)
      expect(box.y + box.height).toBeLessThanOrEqual(160)
    }
  })
})

describe('timeline', () => {
  it('maps a click to the nearest frame index, clamped to the clip', () => {
    expect(indexAt(0, 500, 50)).toBe(0)
    expect(indexAt(500, 500, 50)).toBe(49)
    expect(indexAt(250, 500, 51)).toBe(25)
    expect(indexAt(-20, 500, 50)).toBe(0)
    expect(indexAt(900, 500, 50)).toBe(49)
    expect(indexAt(10, 500, 1)).toBe(0)
  })

  it('grows one lane per coder', () => {
    expect(timelineHeight(3) - timelineHeight(2)).toBe(timelineHeight(2) - timelineHeight(1))
    expect(timelineHeight(0)).toBe(timelineHeight(1))
  })
})

describe('the timeline axis in ms', () => {
  it('times frames from the first one: (number − first) × 1000 / fps', () => {
    expect(frameMs(101, 101, 200)).toBe(0)
    expect(frameMs(102, 101, 200)).toBe(5)
    expect(frameMs(111, 101, 200)).toBe(50)
    expect(frameMs(2, 1, 30)).toBe(33.3)
    expect(frameMs(4, 1, 30)).toBe(100)
  })
  it('starts the lanes below the axis and the curve', () => {
    expect(lanesTop(true) - lanesTop(false)).toBeGreaterThan(0)
    expect(timelineHeight(1, true) - lanesTop(true)).toBe(timelineHeight(1) - lanesTop())
  })
})
