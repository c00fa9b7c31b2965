/** The import and export formats as the dialogs describe them, in plain words. */

/** An import format of `datasets.import`. */
export type ImportFormat =
  'casme2' | 'samm' | 'casme3' | 'mmew' | 'csv' | 'folder' | 'videos' | 'eaf'

/** A field of the import form that only some formats take. */
export type ImportField =
  | 'sheet'
  | 'frames'
  | 'videos'
  | 'coder'
  | 'fps'
  | 'subject'
  | 'variant'
  /** ELAN: the .eaf file or folder. */
  | 'elan'
  /** ELAN: which tier goes in as which coder. */
  | 'tiers'

/** What the import dialog shows for one format. */
export interface ImportFormatInfo {
  format: ImportFormat
  label: string
  /** One sentence: what this format is and what it needs. */
  description: string
  /** The fields this format takes (dataset name is always asked). */
  fields: readonly ImportField[]
  /** What the frames field holds, for its label. */
  framesLabel: string
  /** Where the frames are, for its hint. */
  framesHint: string
  /** The frame rate used when none is given (null: each video brings its own). */
  defaultFps: number | null
  /** The coder the sheet's codes go in as when none is given (sheet formats). */
  defaultCoder: string | null
}

/** File types a coding sheet may be. */
export const SHEET_EXTENSIONS = ['xlsx', 'xlsm', 'csv'] as const

/** File types the videos picker shows (any file ffmpeg reads is accepted). */
export const VIDEO_EXTENSIONS = ['mp4', 'mkv', 'avi', 'mov', 'webm', 'm4v'] as const

const SHEET_FIELDS = ['sheet', 'frames', 'coder', 'fps'] as const

/** Every import format, in the order the dialog offers them. */
export const IMPORT_FORMATS: readonly ImportFormatInfo[] = [
  {
    format: 'casme2',
    label: 'CASME II',
    description:
      'The CASME II release: its coding sheet (CASME2-coding-*.xlsx) and the folder of frames, sub01/EP02_01f/img46.jpg and so on. Filmed at 200 fps.',
    fields: [...SHEET_FIELDS, 'variant'],
    framesLabel: 'Frames folder',
    framesHint:
      'The release folder (holding CASME2_RAW_selected or Cropped), or the folder of sub01, sub02, … itself.',
    defaultFps: 200,
    defaultCoder: 'CASME II sheet',
  },
  {
    format: 'samm',
    label: 'SAMM',
    description:
      'The SAMM release: its coding sheet (SAMM_Micro_FACS_Codes_v2.xlsx) and the frames, 006/006_1_2/006_05562.jpg and so on. Filmed at 200 fps.',
    fields: SHEET_FIELDS,
    framesLabel: 'Frames folder',
    framesHint: 'The folder holding SAMM, or the SAMM folder itself (006, 007, …).',
    defaultFps: 200,
    defaultCoder: 'SAMM sheet',
  },
  {
    format: 'casme3',
    label: 'CAS(ME)³',
    description:
      'CAS(ME)³ part A: its coding sheet and the colour frames, spNO.1/a/color/123.jpg; each sheet row becomes one clip cut from onset to offset. Filmed at 30 fps.',
    fields: SHEET_FIELDS,
    framesLabel: 'Frames folder',
    framesHint: 'The folder of spNO.1, spNO.2, …',
    defaultFps: 30,
    defaultCoder: 'CAS(ME)³ sheet',
  },
  {
    format: 'mmew',
    label: 'MMEW',
    description:
      'The MMEW release: its sheet (MMEW_Micro_Exp.xlsx) and the frames sorted by emotion, Micro_Expression/happiness/S01-01-001/1.jpg. Filmed at 90 fps.',
    fields: SHEET_FIELDS,
    framesLabel: 'Frames folder',
    framesHint: 'The MMEW_Final folder.',
    defaultFps: 90,
    defaultCoder: 'MMEW sheet',
  },
  {
    format: 'csv',
    label: 'CSV or Excel sheet',
    description:
      'Your own sheet (.csv or .xlsx) with the CASME II columns, as this app exports them, and a folder laid out subject/clip/frames or subject/clip.mp4.',
    fields: SHEET_FIELDS,
    framesLabel: 'Frames folder',
    framesHint: 'The folder of subject folders; each holds a frame folder or a video per clip.',
    defaultFps: 200,
    defaultCoder: null,
  },
  {
    format: 'folder',
    label: 'Folder of frames',
    description:
      'One clip from one folder of numbered frame images (img46.jpg, 0001.png, …), without codes; you code it here.',
    fields: ['frames', 'subject', 'fps'],
    framesLabel: 'Frame folder',
    framesHint: 'The folder holding the frame images of the clip.',
    defaultFps: 200,
    defaultCoder: null,
  },
  {
    format: 'videos',
    label: 'Videos',
    description:
      'Video files, one clip each, named after the file, without codes; the frame rate comes from each video.',
    fields: ['videos', 'subject'],
    framesLabel: 'Video files',
    framesHint: 'One path per line; choosing a folder adds every video in it.',
    defaultFps: null,
    defaultCoder: null,
  },
  {
    format: 'eaf',
    label: 'ELAN (.eaf)',
    description:
      'ELAN documents, one clip each, linked to a video or frame folder: each tier is a coder, its annotation the onset–offset with the AUs (L12B+R14), a tier under it the apex.',
    fields: ['elan', 'frames', 'tiers', 'subject', 'fps'],
    framesLabel: 'Media folder (optional)',
    framesHint:
      'Where the videos or frame folders are when the links in the .eaf files are broken. Empty: beside the .eaf files.',
    defaultFps: 200,
    defaultCoder: null,
  },
]

/** The description of one import format. */
export function importFormatInfo(format: ImportFormat): ImportFormatInfo {
  const info = IMPORT_FORMATS.find((f) => f.format === format)
  if (!info) throw new Error(`Unknown import format ${format}`)
  return info
}

/** An export format of `datasets.export`. */
export type ExportFormat = 'csv' | 'xlsx' | 'json' | 'frames' | 'eaf' | 'boris'

/** What the export dialog shows for one format. */
export interface ExportFormatInfo {
  format: ExportFormat
  label: string
  description: string
  /** The file extension written, or null for a folder. */
  extension: string | null
  /** For a folder: what goes into it ('the key frames') and how it is laid out. */
  folder?: { holds: string; hint: string }
}

/** Every export format, in the order the dialog offers them. */
export const EXPORT_FORMATS: readonly ExportFormatInfo[] = [
  {
    format: 'csv',
    label: 'CSV sheet',
    description:
      'One row per clip and coder with the CASME II columns plus Coder, Coder Kind and Apex Estimated; this app and any spreadsheet read it back.',
    extension: 'csv',
  },
  {
    format: 'xlsx',
    label: 'Excel workbook',
    description:
      'The same sheet as the CSV in an .xlsx workbook, frame numbers as numbers, as the CASME II sheet has them.',
    extension: 'xlsx',
  },
  {
    format: 'json',
    label: 'JSON manifest',
    description:
      'The dataset’s clips, where their frames are, and every coder’s markers and AU labels in one JSON file, for scripts.',
    extension: 'json',
  },
  {
    format: 'frames',
    label: 'Key frames',
    description:
      'A folder per clip with its onset, apex and close-to-apex frames as images, picked by one coder’s markers (name the coder when several marked the dataset).',
    extension: null,
    folder: { holds: 'the key frames', hint: 'A folder per clip is made inside it.' },
  },
  {
    format: 'eaf',
    label: 'ELAN (.eaf)',
    description:
      'One ELAN document per clip, linked to its video or frames: a tier per coder with the onset–offset and its AUs (L12B+R14), an apex tier under it. The import reads them back.',
    extension: null,
    folder: {
      holds: 'the .eaf files',
      hint: 'A folder per subject is made inside it, with one .eaf per clip.',
    },
  },
  {
    format: 'boris',
    label: 'BORIS table',
    description:
      'The coded events as BORIS’s aggregated-events table: per AU a state event from onset to offset with side|intensity as modifiers, the apex as a point event, times in seconds.',
    extension: 'csv',
  },
]

/** The description of one export format. */
export function exportFormatInfo(format: ExportFormat): ExportFormatInfo {
  const info = EXPORT_FORMATS.find((f) => f.format === format)
  if (!info) throw new Error(`Unknown export format ${format}`)
  return info
}
