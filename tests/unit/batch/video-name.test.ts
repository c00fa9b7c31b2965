import { describe, expect, it } from 'vitest'
import { videoName } from '../../../src/engine/batch/batch-table'

describe('videoName', () => {
  it("takes a spotted event's clip name up to its last '@'", () => {
    expect(videoName('day1/task.mp4@201-260', '/lab/P01/day1/task.mp4', true)).toBe('day1/task.mp4')
    expect(videoName('a@b.mp4@1-9', '/lab/P01/a@b.mp4', true)).toBe('a@b.mp4')
  })

  it("puts a whole clip's file name in its clip name's folder", () => {
    expect(videoName('day1/task', '/lab/P01/day1/task.mp4', false)).toBe('day1/task.mp4')
    expect(videoName('take1', '/lab/P01/take1.MKV', false)).toBe('take1.MKV')
    expect(videoName('take@2', '/lab/P01/take@2.mp4', false)).toBe('take@2.mp4')
  })

  it('falls back to the clip name for a clip without a file', () => {
    expect(videoName('EP01_01', null, false)).toBe('EP01_01')
  })
})
