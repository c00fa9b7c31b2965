import { AppError } from '../../shared/errors'
import { toBytes, toUnitFloats } from '../ml/data/clip-images'
import { TRAINING_MAGNIFICATION } from '../ml/data/magnified-frames'
import { createMagnifier } from '../signal'
import type { CropSpill } from './crop-spill'

/** An event of a recording to predict: its clip and frames (absolute, 1-based). */
export interface RecordingEvent {
  clipId: number
  onset: number
  apex: number
}

/** One event's magnified apex and onset frames at the spill's side (the model's resizeSize). */
export interface EventApex {
  event: RecordingEvent
  /** The apex: side² RGB bytes. */
  image: Uint8Array
  /** The onset (the magnification's first frame), for a model that compares with it. */
  onset: Uint8Array
}

/**
 * The magnified apex frame of every event of one recording, from the face crops its single
 * read left in `spill`: each event's frames are magnified from its onset to its apex (as the
 * model's training clips are, which begin at the onset) with the training magnification, at
 * the spill's side, every frame cut at the box the tracker followed to it; the onset's
 * magnified frame comes with it (a model may compare with it). One magnifier,
 * reset per event, and one frame are held. An event outside the stored frames is an AppError
 * naming the file.
 */
export function* eventApexes(
  file: string,
  spill: CropSpill,
  events: readonly RecordingEvent[],
): Generator<EventApex, void, undefined> {
  const side = spill.side
  const magnifier = createMagnifier(side, side, 3, TRAINING_MAGNIFICATION)
  const input = new Float32Array(side * side * 3)
  const output = new Float32Array(input.length)
  for (const event of events) {
    if (!(event.onset >= 1 && event.onset <= event.apex && event.apex <= spill.frames)) {
      throw new AppError(
        'invalid_file',
        `${file} holds ${spill.frames} frames: the spotted event ${event.onset}–${event.apex} is not inside them`,
        { file, clipId: event.clipId },
      )
    }
    magnifier.reset()
    let onset: Uint8Array | undefined
    for (let n = event.onset; n <= event.apex; n++) {
      magnifier.push(toUnitFloats(spill.crop(n), input), output)
      onset ??= toBytes(output, side, side).data
    }
    yield { event, image: toBytes(output, side, side).data, onset: onset! }
  }
}
