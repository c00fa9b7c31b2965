/** Records of the coder's workstation as the contract carries them: coders, codes, clips. */
import type { ClipSummary } from './domain'
import type { AuIntensity, AuSide } from './facs'

/**
 * Who codes: a person ('human'), a dataset's own coding sheet ('import', read-only), or the
 * adjudicated layer that settles what the coders disagree on ('adjudicated').
 */
export type CoderKind = 'human' | 'import' | 'adjudicated'

/** A coder; every coder's markers and labels are kept apart. */
export interface Coder {
  id: number
  name: string
  kind: CoderKind
  createdAt: string
}

/** One coder's onset, apex and offset of a clip, as absolute frame numbers. */
export interface Markers {
  onset: number | null
  apex: number | null
  offset: number | null
  /** The apex came from a sheet that left it blank and was estimated, not coded. */
  apexEstimated: boolean
}

/** One Action Unit as a coder scored it: side null means both sides. */
export interface AuCode {
  au: number
  side: AuSide | null
  intensity: AuIntensity | null
}

/** One coder's label of an AU on one clip, as `labels.list` answers them. */
export interface ClipLabel extends AuCode {
  clipId: number
  coderId: number
}

/** Everything one coder scored on one clip, and whether their history can step. */
export interface CoderCodes {
  coderId: number
  markers: Markers | null
  labels: AuCode[]
  canUndo: boolean
  canRedo: boolean
}

/** What a typed AU entry saved, in sheet notation ('R12B'), and notes on how it was read. */
export interface TypedLabelsSaved {
  saved: string[]
  notes: string[]
}

/** A typed AU entry saved whole, and the coder's codes after it. */
export interface TypedLabelsResult extends TypedLabelsSaved {
  codes: CoderCodes
}

/** One frame of a clip: its absolute number and its frame-cache key once cached. */
export interface ClipFrame {
  number: number
  key: string | null
}

/** A clip opened for coding: its frames and every coder's codes. */
export interface ClipDetail {
  clip: ClipSummary
  dataset: string
  frames: ClipFrame[]
  /** Codes of every coder who has coded the clip (or whose history on it is not empty). */
  codes: CoderCodes[]
  /** AUs anyone scored in the clip's dataset, ascending (the number keys: `auKeys.get`). */
  datasetAus: number[]
}

/**
 * Where a clip stands: nobody coded it; one coder; several coders who agree on the AUs;
 * several who do not (the AU sets differ); settled by the adjudicated layer; or only a
 * model's predictions so far.
 */
export const CLIP_STATUSES = [
  'unlabelled',
  'single',
  'several',
  'disputed',
  'adjudicated',
  'predicted',
] as const

/** One of CLIP_STATUSES. */
export type ClipStatus = (typeof CLIP_STATUSES)[number]

/** A clip as the library lists it. */
export interface ClipCard extends ClipSummary {
  status: ClipStatus
  /** Coders (any kind) who coded the clip. */
  coderIds: number[]
  /** AUs any coder scored on the clip, ascending. */
  aus: number[]
  /** Frame-cache key of the frame to show as a thumbnail, when cached. */
  thumbnailKey: string | null
  /** Every frame is in the frame cache. */
  cached: boolean
}

/** The values the library's filters can take in a dataset. */
export interface LibraryFacets {
  subjects: string[]
  emotions: string[]
  aus: number[]
  coderIds: number[]
}

/** One page of the library: the clips that pass the filters and the filters' choices. */
export interface LibraryPage {
  clips: ClipCard[]
  /** Clips in the dataset before filtering. */
  total: number
  facets: LibraryFacets
}
