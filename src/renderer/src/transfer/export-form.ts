import type { MethodInput } from '../../../shared/api'
import { exportRequestSchema } from '../../../shared/schemas'
import { exportFormatInfo, type ExportFormat } from './formats'
import { baseName, fileStem, isAbsolutePath, joinPath, parentOf, withExtension } from './paths'

/** The export request the contract takes. */
export type ExportRequest = MethodInput<'datasets.export'>

/** What the export dialog's fields hold. */
export interface ExportForm {
  format: ExportFormat
  dataset: string
  /** '' for every coder's codes. */
  coder: string
  out: string
}

/** A field of the export form a message can be about. */
export type ExportFormField = 'dataset' | 'out' | 'coder'

/** The outcome of checking the form: the request, or a message per wrong field. */
export type ExportFormResult =
  | { ok: true; request: ExportRequest }
  | { ok: false; errors: Partial<Record<ExportFormField, string>> }

/**
 * Where an export goes by default: beside the previous output (or in `folder`), named after
 * the dataset with the format's extension; a folder named after the dataset for key frames.
 */
export function suggestedExportPath(
  format: ExportFormat,
  dataset: string,
  previous: string,
  folder: string | null,
): string {
  const where = previous.trim() !== '' ? parentOf(previous.trim()) : folder
  const name = withExtension(fileStem(dataset), exportFormatInfo(format).extension)
  return where ? joinPath(where, name) : ''
}

/**
 * The output path after a format change: the same folder and name with the new format's
 * extension (none for key frames, which write a folder).
 */
export function retargetExportPath(out: string, format: ExportFormat): string {
  const trimmed = out.trim()
  const parent = parentOf(trimmed)
  if (trimmed === '' || parent === null) return out
  return joinPath(parent, withExtension(baseName(trimmed), exportFormatInfo(format).extension))
}

/** Checks the form and builds the `datasets.export` request, with a message per wrong field. */
export function buildExportRequest(form: ExportForm): ExportFormResult {
  const errors: Partial<Record<ExportFormField, string>> = {}
  const out = form.out.trim()
  const info = exportFormatInfo(form.format)
  if (form.dataset.trim() === '') errors.dataset = 'Choose the dataset to export.'
  if (out === '') {
    errors.out = info.extension
      ? `Choose where the .${info.extension} file goes.`
      : `Choose the folder ${info.folder?.holds ?? 'the files'} go into.`
  } else if (!isAbsolutePath(out)) {
    const what = info.extension ? `.${info.extension} file` : 'folder'
    errors.out = `Give the full path of the ${what} to write, starting at / or a drive letter.`
  } else if (info.extension && !out.toLowerCase().endsWith(`.${info.extension}`)) {
    errors.out = `The file name must end in .${info.extension}.`
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  const parsed = exportRequestSchema.safeParse({
    format: form.format,
    dataset: form.dataset,
    out,
    coder: form.coder.trim() || undefined,
  })
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'out') as ExportFormField
      errors[field] ??= `${field === 'out' ? 'The output path' : `The ${field}`} ${issue.message}.`
    }
    return { ok: false, errors }
  }
  return { ok: true, request: parsed.data }
}
