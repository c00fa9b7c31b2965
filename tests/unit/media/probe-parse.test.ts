import { describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import {
  chooseFrameRate,
  clockwiseRotation,
  headerFromFfmpeg,
  headerFromFfprobe,
  lastProgressFrame,
} from '../../../src/engine/media/probe-parse'

const FILE = '/data/sub01/EP02_01f.mp4'

/** ffprobe -show_streams -show_format JSON, trimmed to what matters, with overrides. */
function ffprobeJson(
  stream: Record<string, unknown>,
  format: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    streams: [
      {
        codec_name: 'h264',
        codec_type: 'video',
        width: 640,
        height: 480,
        r_frame_rate: '200/1',
        avg_frame_rate: '200/1',
        duration: '1.000000',
        nb_frames: '200',
        tags: { language: 'und' },
        ...stream,
      },
    ],
    format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '1.000000', ...format },
  })
}

/** What @ffmpeg-installer's 2018 ffmpeg prints for a 64×48 clip marked rotate 270. */
const FFMPEG_2018 = `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from '${FILE}':
  Metadata:
    major_brand     : isom
  Duration: 00:00:01.00, start: 0.000000, bitrate: 28 kb/s
    Stream #0:0(und): Video: h264 (High) (avc1 / 0x31637661), yuv420p, 64x48 [SAR 1:1 DAR 4:3], 19 kb/s, 29.97 fps, 29.97 tbr, 30k tbn, 59.94 tbc (default)
    Metadata:
      rotate          : 270
      handler_name    : VideoHandler
    Side data:
      displaymatrix: rotation of 90.00 degrees
Stream mapping:
  Stream #0:0 -> #0:0 (h264 (native) -> wrapped_avframe (native))
[Parsed_showinfo_0 @ 0x7af4c40] config in time_base: 1/30000, frame_rate: 30000/1001
[Parsed_showinfo_0 @ 0x7af4c40] config out time_base: 0/0, frame_rate: 0/0
[Parsed_showinfo_0 @ 0x7af4c40] n:   0 pts:      0 pts_time:0       pos:       48 fmt:yuv420p sar:1/1 s:48x64 i:P iskey:1 type:I checksum:BB0D6793
Output #0, null, to 'pipe:':
`

/** What Debian's 5.1 prints for a Matroska file with a cover picture before the video. */
const FFMPEG_51 = `Input #0, matroska,webm, from '${FILE}':
  Duration: 00:01:02.50, start: 0.000000, bitrate: 2000 kb/s
  Stream #0:0: Video: mjpeg (Baseline), yuvj420p(pc, bt470bg/unknown/unknown), 300x300, 90k tbr, 90k tbn (attached pic)
    Side data:
      displaymatrix: rotation of -90.00 degrees
  Stream #0:1: Video: ffv1, gray, 640x480, SAR 1:1 DAR 4:3, 200 fps, 200 tbr, 1k tbn
Stream mapping:
  Stream #0:1 -> #0:0 (ffv1 (native) -> wrapped_avframe (native))
[Parsed_showinfo_0 @ 0x55d6] config in time_base: 1/1000, frame_rate: 200/1
[Parsed_showinfo_0 @ 0x55d6] n:   0 pts:      0 pts_time:0       pos:      523 fmt:gray sar:1/1 s:640x480 i:P iskey:1 type:I
`

describe('headerFromFfprobe', () => {
  it('reads an MP4 and trusts its consistent frame count', () => {
    expect(headerFromFfprobe(ffprobeJson({}), FILE)).toEqual({
      codec: 'h264',
      width: 640,
      height: 480,
      fps: { num: 200, den: 1 },
      rotation: 0,
      duration: 1,
      containerFrames: 200,
    })
  })

  it('does not trust a count that disagrees with duration × rate (an edit list cut the clip)', () => {
    expect(headerFromFfprobe(ffprobeJson({ nb_frames: '260' }), FILE).containerFrames).toBeNull()
  })

  it('does not trust the counts of other containers', () => {
    const avi = ffprobeJson({ codec_name: 'mjpeg' }, { format_name: 'avi' })
    expect(headerFromFfprobe(avi, FILE).containerFrames).toBeNull()
  })

  it('keeps 30000/1001 exact and swaps the sides of a quarter-turned stream', () => {
    const json = ffprobeJson(
      {
        r_frame_rate: '30000/1001',
        avg_frame_rate: '30000/1001',
        duration: '1.001000',
        nb_frames: '30',
        side_data_list: [{ side_data_type: 'Display Matrix', rotation: 90 }],
      },
      { duration: '1.001000' },
    )
    expect(headerFromFfprobe(json, FILE)).toMatchObject({
      fps: { num: 30000, den: 1001 },
      rotation: 270,
      width: 480,
      height: 640,
      containerFrames: 30,
    })
  })

  it('reads the rotate tag of older ffprobes (clockwise)', () => {
    expect(headerFromFfprobe(ffprobeJson({ tags: { rotate: '90' } }), FILE)).toMatchObject({
      rotation: 90,
      width: 480,
      height: 640,
    })
  })

  it('uses the average rate of a variable-rate phone video', () => {
    const json = ffprobeJson({
      r_frame_rate: '90000/1',
      avg_frame_rate: '2997/100',
      nb_frames: undefined,
    })
    expect(headerFromFfprobe(json, FILE).fps).toEqual({ num: 2997, den: 100 })
  })

  it.each([
    ['no streams', JSON.stringify({ streams: [], format: {} }), /has no video stream/],
    ['garbage', 'not json', /no readable answer/],
    [
      'no frame rate',
      ffprobeJson({ r_frame_rate: '0/0', avg_frame_rate: '0/0' }),
      /does not state a frame rate/,
    ],
    ['no size', ffprobeJson({ width: 0 }), /no frame size/],
    ['a text file', ffprobeJson({ codec_name: 'ansi' }, { format_name: 'tty' }), /text file/],
    [
      'a still image',
      ffprobeJson({ codec_name: 'png' }, { format_name: 'png_pipe' }),
      /still image/,
    ],
  ])('refuses %s, naming the file', (_label, json, message) => {
    let error: unknown
    try {
      headerFromFfprobe(json, FILE)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).message).toMatch(message)
    expect((error as AppError).message).toContain(FILE)
  })
})

describe('headerFromFfmpeg', () => {
  it('reads the 2018 build: exact rate from showinfo, turned size, display matrix', () => {
    expect(headerFromFfmpeg(FFMPEG_2018, FILE)).toEqual({
      codec: 'h264',
      width: 48,
      height: 64,
      fps: { num: 30000, den: 1001 },
      rotation: 270,
      duration: 1,
      containerFrames: null,
    })
  })

  it('reads the mapped stream, not an attached picture before it', () => {
    expect(headerFromFfmpeg(FFMPEG_51, FILE)).toEqual({
      codec: 'ffv1',
      width: 640,
      height: 480,
      fps: { num: 200, den: 1 },
      rotation: 0,
      duration: 62.5,
      containerFrames: null,
    })
  })

  it('refuses output without a mapped video stream or decoded frame', () => {
    expect(() => headerFromFfmpeg("Stream map '0:V:0' matches no streams.", FILE)).toThrow(
      /has no video stream/,
    )
    const noFrame = FFMPEG_2018.replace(/^.*n:\s+0 .*$/m, '')
    expect(() => headerFromFfmpeg(noFrame, FILE)).toThrow(/first frame cannot be decoded/)
    const noRate = FFMPEG_2018.replace('frame_rate: 30000/1001', 'frame_rate: 0/0')
    expect(() => headerFromFfmpeg(noRate, FILE)).toThrow(/does not state a frame rate/)
    const text = FFMPEG_2018.replace('mov,mp4,m4a,3gp,3g2,mj2, from', 'tty, from')
    expect(() => headerFromFfmpeg(text, FILE)).toThrow(/text file/)
  })
})

describe('probe helpers', () => {
  it('turns display-matrix angles into clockwise rotations', () => {
    expect([90, -90, 180, -180, 0, 270, 89.6, Number.NaN].map(clockwiseRotation)).toEqual([
      270, 90, 180, 180, 0, 90, 270, 0,
    ])
  })

  it('prefers the exact base rate unless the average differs by more than 1%', () => {
    const ntsc = { num: 30000, den: 1001 }
    expect(chooseFrameRate(ntsc, { num: 2997, den: 100 })).toEqual(ntsc)
    expect(chooseFrameRate({ num: 60, den: 1 }, { num: 30, den: 1 })).toEqual({ num: 30, den: 1 })
    expect(chooseFrameRate(null, ntsc)).toEqual(ntsc)
    expect(chooseFrameRate(null, null)).toBeNull()
  })

  it('takes the last frame count of -progress output', () => {
    expect(lastProgressFrame('frame=1\nfps=0.0\nprogress=continue\nframe=30\nprogress=end\n')).toBe(
      30,
    )
    expect(lastProgressFrame('progress=end\n')).toBeNull()
  })
})
