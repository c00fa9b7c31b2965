import { AppError } from '../../shared/errors'
import { decodeFrames } from '../media/decode-frames'
import { applyCrop, type CropBox } from '../media/face/align'
import type { FfmpegTools } from '../media/ffmpeg-locate'
import type { RgbImage } from '../media/image-io'
import { toBytes, toUnitFloats } from '../ml/data/clip-images'
import { resizeRgb } from '../ml/data/image-ops'
import { TRAINING_MAGNIFICATION } from '../ml/data/magnified-frames'
import { createMagnifier, type Magnifier } from '../signal'

/** An event of a recording to predict: its clip, frames (absolute, 1-based) and face crop. */
export interface RecordingEvent {
  clipId: number
  onset: number
  apex: number
  crop: CropBox | null
}

/** One event's magnified apex and onset frames, resized for the model. */
export interface EventApex {
  event: RecordingEvent
  /** The apex: resizeSize² RGB bytes. */
  image: Uint8Array
  /** The onset (the magnification's first frame), for a model that compares with it. */
  onset: Uint8Array
}

interface Running {
  event: RecordingEvent
  magnifier: Magnifier
  input: Float32Array<ArrayBuffer>
  output: Float32Array<ArrayBuffer>
  /** The magnified onset, resized, once it has been read. */
  onset?: Uint8Array
}

/** Options of {@link eventApexes}. */
export interface EventApexOptions {
  /** Side the apex frames are resized to (the model's resizeSize). */
  resizeSize: number
  signal?: AbortSignal
  tools?: FfmpegTools
  /** Called every 100 frames with the frame number read. */
  onFrame?: (frame: number) => void
}

const cropSize = (crop: CropBox) => ({
  width: Math.max(1, Math.round(crop.width)),
  height: Math.max(1, Math.round(crop.height)),
})

/** The frame cut to each crop the running events use (once per crop, not per event). */
function croppedFor(frame: RgbImage, running: Iterable<Running>): Map<string, RgbImage> {
  const out = new Map<string, RgbImage>()
  for (const { event } of running) {
    const key = JSON.stringify(event.crop)
    if (!out.has(key)) {
      out.set(key, event.crop ? applyCrop(frame, event.crop, cropSize(event.crop)) : frame)
    }
  }
  return out
}

function start(event: RecordingEvent, frame: RgbImage): Running {
  const { width, height } = event.crop ? cropSize(event.crop) : frame
  const magnifier = createMagnifier(width, height, 3, TRAINING_MAGNIFICATION)
  const input = new Float32Array(width * height * 3)
  return { event, magnifier, input, output: new Float32Array(input.length) }
}

/**
 * The magnified apex frame of every event of one recording, reading the recording once as a
 * stream and stopping after the last apex: each event's face crop is magnified from its onset
 * to its apex (as the model's training clips are, which begin at the onset) with the training
 * magnification, and the apex frame is resized to resizeSize². Only the events running at a
 * frame hold a magnifier, so memory grows with how many events overlap, never with the
 * recording's length. Events whose apex lies past the last frame are an AppError naming the file.
 */
export async function* eventApexes(
  file: string,
  events: readonly RecordingEvent[],
  options: EventApexOptions,
): AsyncGenerator<EventApex, void, undefined> {
  const queue = [...events].sort((a, b) => a.onset - b.onset)
  let next = 0
  const running = new Set<Running>()
  for await (const frame of decodeFrames(file, { signal: options.signal, tools: options.tools })) {
    const n = frame.index
    if (n % 100 === 0) options.onFrame?.(n)
    while (next < queue.length && queue[next].onset <= n) running.add(start(queue[next++], frame))
    if (running.size === 0) {
      if (next === queue.length) return
      continue
    }
    const cropped = croppedFor(frame, running)
    for (const r of running) {
      const image = cropped.get(JSON.stringify(r.event.crop))!
      toUnitFloats(image, r.input)
      r.magnifier.push(r.input, r.output)
      const resized = () =>
        resizeRgb(
          toBytes(r.output, image.width, image.height),
          options.resizeSize,
          options.resizeSize,
        )
      r.onset ??= resized()
      if (n < r.event.apex) continue
      running.delete(r)
      yield { event: r.event, image: resized(), onset: r.onset }
    }
    if (running.size === 0 && next === queue.length) return
  }
  const missed = [...running].map((r) => r.event).concat(queue.slice(next))
  if (missed.length > 0) {
    throw new AppError(
      'invalid_file',
      `${file} ends before the apex of ${missed.length} spotted event(s) (frame ${missed[0].apex})`,
      { file, clipIds: missed.map((e) => e.clipId) },
    )
  }
}
