/**
 * Soft problems an import meets and reports instead of guessing or failing: every one names
 * the file, and where it applies the sheet row, column and clip.
 */

/** What kind of soft problem a flag reports. */
export type ImportFlagCode =
  /** The apex cell holds '/' (or '-', or nothing): the marker is stored with apex NULL. */
  | 'missing_apex'
  /** The apex lies outside [onset, offset]; stored as written. */
  | 'apex_outside_clip'
  /** An AU token the tokenizer could not read or FACS does not define; not stored. */
  | 'unknown_au_token'
  /** The same AU (same side) twice in one cell; the first is stored. */
  | 'duplicate_au'
  /** AUs written as alternatives ('R12 or R14'); all of them are stored. */
  | 'au_alternative'
  /** AUs written with a question mark ('13?'); stored. */
  | 'au_uncertain'
  /** A coded row with an empty AU cell. */
  | 'no_au_codes'
  /** A row for a clip (and coder) that an earlier row already coded; the later row is skipped. */
  | 'duplicate_row'
  /** A note or remark the sheet carries for a row (the library has no column for it). */
  | 'sheet_note'
  /** No frame folder (or video) for a coded row; the row is skipped. */
  | 'missing_clip_folder'
  /** More than one folder matches a coded row; the row is skipped. */
  | 'ambiguous_clip_folder'
  /** Gaps in the frame numbers of a clip folder. */
  | 'missing_frames'
  /** Two files carry the same frame number; the first by name is kept. */
  | 'duplicate_frame'
  /** Onset, apex or offset names a frame the folder does not have. */
  | 'marker_outside_frames'
  /** A frame file that is not a whole JPEG/PNG/BMP image (empty, foreign, truncated, damaged): the clip that holds it is skipped. */
  | 'unreadable_image'
  /** A file in a clip folder that is not a frame (Thumbs.db, .DS_Store, ._img1.jpg, ...). */
  | 'stray_file'
  /** A clip folder on disk that no sheet row codes; not imported. */
  | 'clip_not_in_sheet'
  /** Both raw and cropped frames exist and none was chosen: the named one was used. */
  | 'frames_variant'
  /** No subject was given for a folder or video; the value used is in the message. */
  | 'subject_assumed'
  /** No frame rate was given for frames without one; the value used is in the message. */
  | 'fps_assumed'
  /** An ELAN tier no coder is mapped to, or a dependent tier that is no apex tier; not read. */
  | 'tier_not_mapped'
  /** More annotations on an ELAN tier than a clip keeps (one onset–offset, one apex per coder). */
  | 'extra_annotation'
  /** An ELAN annotation begins or ends between two frames; snapped to the nearest frame. */
  | 'time_between_frames'

/** One soft problem of an import. */
export interface ImportFlag {
  /** The sheet, folder or file the problem is in. */
  file: string
  /** 1-based sheet row as Excel shows it. */
  row?: number
  /** Sheet column header, e.g. 'ApexFrame'. */
  column?: string
  /** 'subject/clip' the flag is about. */
  clip?: string
  code: ImportFlagCode
  message: string
}
