import type { ImportFlag } from '../flags'
import { checkVideoWhole, probeVideo } from '../../media/probe'
import type { PlannedClip, PlannedCodes } from './import-plan'

/** One clip to build from a video file. */
export interface VideoClipRequest {
  /** The sheet or file list the request comes from, for flags. */
  source: string
  row?: number
  file: string
  subject: string
  clip: string
  emotion: string | null
  codes: PlannedCodes[]
}

/**
 * Plans a clip from a video: frame rate, frame count and size from the probe (a file that
 * is not a readable video, or holds fewer frames than its header lists, is an error naming
 * it); frames numbered 1..n without files (they
 * are extracted into the frame cache later). Markers beyond the last frame are flagged.
 */
export async function planVideoClip(
  request: VideoClipRequest,
  flags: ImportFlag[],
): Promise<PlannedClip> {
  const probe = await probeVideo(request.file)
  await checkVideoWhole(probe)
  for (const codes of request.codes) {
    const outside = (['onset', 'apex', 'offset'] as const).filter((k) => {
      const n = codes[k]
      return n !== null && (n < 1 || n > probe.frameCount)
    })
    if (outside.length > 0) {
      flags.push({
        file: request.source,
        ...(request.row !== undefined ? { row: request.row } : {}),
        clip: `${request.subject}/${request.clip}`,
        code: 'marker_outside_frames',
        message: `${outside.map((k) => `${k} ${codes[k]}`).join(', ')} not among the frames 1–${probe.frameCount} of ${probe.file}`,
      })
    }
  }
  return {
    subject: request.subject,
    name: request.clip,
    sourceKind: 'video',
    sourcePath: probe.file,
    fps: probe.frameRate,
    width: probe.width,
    height: probe.height,
    frames: Array.from({ length: probe.frameCount }, (_, i) => ({ number: i + 1, file: null })),
    emotion: request.emotion,
    codes: request.codes,
  }
}
