import { z } from 'zod'
import { absolutePathSchema, fpsSchema, nameSchema } from './schemas'

/**
 * A request to import a long video as a recording and spot it: the video, the dataset its
 * spotted intervals go into, whose recording it is, and optionally the frame rate (a 200 fps
 * camera written as 25 fps) and whether to look for the face (else the centred square).
 */
export const spotRecordingRequestSchema = z
  .object({
    video: absolutePathSchema,
    dataset: nameSchema,
    /** The participant; the video's file name without extension when absent. */
    subject: nameSchema.optional(),
    fps: fpsSchema.optional(),
    faceDetection: z.boolean().default(true),
  })
  .strict()

/** A parsed spot-recording request. */
export type SpotRecordingRequest = z.output<typeof spotRecordingRequestSchema>

/** What a finished spot-recording job reports. */
export interface SpotRecordingResult {
  datasetId: number
  recordingId: number
  clipIds: number[]
  frames: number
  fps: number
  /** 'detected' by the face detector, or 'centred' (none found, or detection off). */
  face: 'detected' | 'centred'
}
