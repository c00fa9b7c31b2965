/** A coder's decision on a spotted interval; 'pending' until they accept or reject it. */
export type SpotDecisionStatus = 'pending' | 'accepted' | 'rejected'

/** The decisions a coder can write ('pending' takes a decision back). */
export const SPOT_DECISIONS = ['pending', 'accepted', 'rejected'] as const

/** Onset, apex and offset as absolute 1-based frame numbers of the recording. */
export interface SpotFrames {
  onset: number
  apex: number
  offset: number
}

/**
 * One spotted interval in a coder's queue: a clip of a recording (its frames keep the
 * recording's absolute numbers and reach `context` beyond the interval), what the spotter
 * found, and what this coder made of it.
 */
export interface SpotCandidate {
  clipId: number
  recordingId: number
  /** The source video (absolute). */
  video: string
  subject: string
  fps: number
  kind: 'micro' | 'macro'
  /** The spotter's score: robust deviations above the recording's noise (≥ its threshold). */
  score: number
  spotted: SpotFrames
  /** The coder's own markers, when they adjusted the interval; null otherwise. */
  adjusted: Partial<SpotFrames> | null
  status: SpotDecisionStatus
  /** First and last frame of the clip (the interval plus context). */
  firstFrame: number
  lastFrame: number
}
