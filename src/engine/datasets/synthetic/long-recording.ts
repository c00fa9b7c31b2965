import fs from 'node:fs/promises'
import path from 'node:path'
import { encodeVideo, type VideoCodec } from '../../media/encode-video'
import type { FfmpegTools } from '../../media/ffmpeg-locate'
import type { LongEventKind, LongRecordingOptions } from './long-plan'
import { planLongRecording } from './long-plan'
import { LongRecordingRenderer, type PlacedFace } from './long-render'

/** The ground truth written next to a synthetic long recording (`<video>.truth.json`). */
export interface LongRecordingTruth {
  fps: number
  frames: number
  width: number
  height: number
  /** Where the face's square sits at the start, and its eye line (0–1 of the side). */
  face: PlacedFace
  /** Every planned event, 0-based frame numbers of the decoded video, in time order. */
  events: { kind: LongEventKind; onset: number; apex: number; offset: number; aus: number[] }[]
}

/** What writeLongRecording wrote. */
export interface WrittenLongRecording {
  video: string
  truthFile: string
  truth: LongRecordingTruth
}

/** The ground-truth file of a synthetic long recording: `<video without extension>.truth.json`. */
export function truthFileOf(video: string): string {
  const ext = path.extname(video)
  return `${video.slice(0, video.length - ext.length)}.truth.json`
}

/**
 * Writes a synthetic long recording through ffmpeg (grey frames piped in, rendered one at a
 * time, so memory stays flat in the recording's length) and its ground truth as JSON.
 * The default codec is ordinary H.264 (lossy, keyframes every 250 frames), like a lab's
 * camera files, so spotting is tested against codec artefacts.
 */
export async function writeLongRecording(
  options: LongRecordingOptions & {
    out: string
    codec?: VideoCodec
    signal?: AbortSignal
    tools?: FfmpegTools
  },
): Promise<WrittenLongRecording> {
  const plan = planLongRecording(options)
  const renderer = new LongRecordingRenderer(plan)
  const frame = new Uint8Array(plan.width * plan.height)
  function* frames(): Generator<Uint8Array> {
    for (let i = 0; i < plan.frames; i++) {
      renderer.render(i, frame)
      yield frame
    }
  }
  const { out } = await encodeVideo(frames(), {
    width: plan.width,
    height: plan.height,
    fps: plan.fps,
    out: options.out,
    codec: options.codec ?? 'x264',
    inputPixelFormat: 'gray',
    signal: options.signal,
    tools: options.tools,
  })
  const truth: LongRecordingTruth = {
    fps: plan.fps,
    frames: plan.frames,
    width: plan.width,
    height: plan.height,
    face: renderer.face,
    events: [...plan.events]
      .sort((a, b) => a.onset - b.onset)
      .map((e) => ({
        kind: e.kind,
        onset: e.onset,
        apex: e.apex,
        offset: e.offset,
        aus: e.aus.map((a) => a.au),
      })),
  }
  const truthFile = truthFileOf(out)
  await fs.writeFile(truthFile, `${JSON.stringify(truth, null, 2)}\n`)
  return { video: out, truthFile, truth }
}
