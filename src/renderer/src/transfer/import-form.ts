import type { MethodInput } from '../../../shared/api'
import { importRequestSchema } from '../../../shared/schemas'
import { importFormatInfo, SHEET_EXTENSIONS, type ImportField, type ImportFormat } from './formats'
import { baseName, hasExtension, isAbsolutePath, parentOf } from './paths'

/** The import request the contract takes. */
export type ImportRequest = MethodInput<'datasets.import'>

/** What the import dialog's fields hold, as typed. */
export interface ImportForm {
  format: ImportFormat
  sheet: string
  frames: string
  /** Video files, one per line. */
  videos: string
  dataset: string
  coder: string
  /** Frames per second as typed; empty for the format's default. */
  fps: string
  subject: string
  /** '' lets the importer choose (raw frames when both are there, flagged). */
  variant: '' | 'raw' | 'cropped'
  /** ELAN: the .eaf file or a folder of them. */
  elan: string
  /** ELAN: one 'Tier = Coder' per line; empty reads every top-level tier as a coder. */
  tiers: string
}

/** A field of the form a message can be about. */
export type ImportFormField = ImportField | 'dataset'

/** The outcome of checking the form: the request to send, or a message per wrong field. */
export type ImportFormResult =
  | { ok: true; request: ImportRequest }
  | { ok: false; errors: Partial<Record<ImportFormField, string>> }

/** A blank form for a format. */
export function emptyImportForm(format: ImportFormat = 'casme2'): ImportForm {
  return {
    format,
    sheet: '',
    frames: '',
    videos: '',
    dataset: '',
    coder: '',
    fps: '',
    subject: '',
    variant: '',
    elan: '',
    tiers: '',
  }
}

/** The video paths of the form: one per line, blank lines left out. */
export function videoPaths(form: Pick<ImportForm, 'videos'>): string[] {
  return form.videos
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
}

/** Published releases, named as their authors name them. */
const RELEASES: readonly ImportForm['format'][] = ['casme2', 'samm', 'casme3', 'mmew']

/**
 * The dataset name the dialog proposes (and uses when the field is left empty), from what is
 * imported: a release's own name ('CASME II', 'SAMM', 'CASME II (cropped)'), else the folder's
 * or first video's name without its extension.
 */
export function defaultDatasetName(form: ImportForm): string {
  if (RELEASES.includes(form.format)) {
    const label = importFormatInfo(form.format).label
    return form.variant === 'cropped' && takesVariant(form) ? `${label} (cropped)` : label
  }
  if (form.format === 'videos') return baseName(videoPaths(form)[0] ?? '').replace(/\.[^.]*$/, '')
  if (form.format === 'eaf')
    return baseName(form.elan.trim())
      .replace(/\.eaf$/i, '')
      .slice(0, 200)
  return baseName(form.frames.trim()).slice(0, 200)
}

function takesVariant(form: ImportForm): boolean {
  return importFormatInfo(form.format).fields.includes('variant')
}

/**
 * Checks the form before anything is sent and builds the `datasets.import` request: only the
 * fields the format takes, each checked with a message that says what to fix. The contract's
 * own schema has the last word, so what passes here is what the engine accepts.
 */
export function buildImportRequest(form: ImportForm): ImportFormResult {
  const info = importFormatInfo(form.format)
  const takes = (field: ImportField) => info.fields.includes(field)
  const errors: Partial<Record<ImportFormField, string>> = {}
  const absolute = (field: ImportFormField, value: string, what: string): string => {
    if (value === '') errors[field] = `Choose the ${what}.`
    else if (!isAbsolutePath(value))
      errors[field] = `Give the full path of the ${what}, starting at / or a drive letter.`
    return value
  }

  let sheet = takes('sheet') ? absolute('sheet', form.sheet.trim(), 'coding sheet') : undefined
  if (takes('elan')) sheet = absolute('elan', form.elan.trim(), 'ELAN file or folder')
  if (takes('sheet') && sheet && !errors.sheet && !hasExtension(sheet, SHEET_EXTENSIONS)) {
    errors.sheet = `The coding sheet must be an .xlsx or .csv file (old .xls files: save them as .xlsx first).`
  }
  let frames: string | string[]
  if (takes('videos')) {
    const videos = videoPaths(form)
    if (videos.length === 0) errors.videos = 'Add at least one video file.'
    const relative = videos.find((v) => !isAbsolutePath(v))
    if (relative)
      errors.videos = `Give the full path of ${relative}, starting at / or a drive letter.`
    frames = videos
  } else if (takes('elan') && form.frames.trim() === '') {
    // The media are looked for beside the .eaf files when the field is left empty.
    frames = sheet && /\.eaf$/i.test(sheet) ? (parentOf(sheet) ?? sheet) : (sheet ?? '')
  } else {
    frames = absolute('frames', form.frames.trim(), info.framesLabel.toLowerCase())
  }
  const tiers = takes('tiers') ? tierMapping(form.tiers, errors) : undefined

  const dataset = form.dataset.trim() || defaultDatasetName(form)
  if (dataset === '') errors.dataset = 'Name the dataset the clips go into.'

  let fps: number | undefined
  if (takes('fps') && form.fps.trim() !== '') {
    fps = Number(form.fps.trim())
    if (!Number.isFinite(fps) || fps <= 0 || fps > 10_000) {
      errors.fps = 'The frame rate must be a number of frames per second above 0, like 200.'
    }
  }
  const coder = takes('coder') ? form.coder.trim() || undefined : undefined
  const subject = takes('subject') ? form.subject.trim() || undefined : undefined
  const variant = takes('variant') && form.variant !== '' ? form.variant : undefined

  if (Object.keys(errors).length > 0) return { ok: false, errors }
  const parsed = importRequestSchema.safeParse({
    format: form.format,
    sheet,
    frames,
    dataset,
    fps,
    coder,
    subject,
    variant,
    tiers,
  })
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? 'dataset')
      const renamed: Record<string, ImportField | undefined> = {
        frames: takes('videos') ? 'videos' : undefined,
        sheet: takes('elan') ? 'elan' : undefined,
      }
      const field = (renamed[key] ?? key) as ImportFormField
      errors[field] ??= `${fieldLabel(field)} ${issue.message}.`
    }
    return { ok: false, errors }
  }
  return { ok: true, request: parsed.data }
}

/**
 * The ELAN tier mapping typed one 'Tier = Coder' per line (split at the last '='); none
 * typed: undefined, every top-level tier a coder of its name. A line without both sides is
 * an error on the field.
 */
export function tierMapping(
  text: string,
  errors: Partial<Record<ImportFormField, string>>,
): Record<string, string> | undefined {
  const mapping: Record<string, string> = {}
  for (const line of text.split(/\r?\n/).map((l) => l.trim())) {
    if (line === '') continue
    const at = line.lastIndexOf('=')
    const tier = line.slice(0, Math.max(at, 0)).trim()
    const coder = line.slice(at + 1).trim()
    if (at < 0 || tier === '' || coder === '') {
      errors.tiers = `Write each line as Tier = Coder, not “${line}”.`
      return undefined
    }
    mapping[tier] = coder
  }
  return Object.keys(mapping).length > 0 ? mapping : undefined
}

function fieldLabel(field: ImportFormField): string {
  const labels: Record<ImportFormField, string> = {
    sheet: 'The coding sheet',
    frames: 'The frames folder',
    videos: 'Each video path',
    dataset: 'The dataset name',
    coder: 'The coder name',
    fps: 'The frame rate',
    subject: 'The subject',
    variant: 'The frames variant',
    elan: 'The ELAN file or folder',
    tiers: 'The tier mapping',
  }
  return labels[field]
}
