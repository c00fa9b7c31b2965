import { AppError } from '../../shared/errors'
import { magnifySettingsSchema, type MagnifySettings } from '../../shared/signal'
import { openLibrary, type LibraryDb } from '../../engine/db/open-library'
import { listDatasets } from '../../engine/db/queries/datasets'
import { resolveMagnifySettings } from '../../engine/signal-jobs/settings'
import { UsageError, type OptionValues } from '../command'

/** The options of magnification settings, by settings field. */
const SETTING_OPTIONS = {
  alpha: 'alpha',
  lambdaC: 'lambda-c',
  r1: 'r1',
  r2: 'r2',
  chromAttenuation: 'chrom',
} as const

/** parseArgs declarations of the magnification options. */
export const magnifyOptions = {
  alpha: { type: 'string' },
  'lambda-c': { type: 'string' },
  r1: { type: 'string' },
  r2: { type: 'string' },
  chrom: { type: 'string' },
} as const

/** Usage text of the magnification options. */
export const MAGNIFY_USAGE = '[--alpha N] [--lambda-c PX] [--r1 W] [--r2 W] [--chrom F]'

/** The magnification settings the options give, defaults filled in; mistakes name the option. */
export function magnifySettingsOf(values: OptionValues): MagnifySettings {
  const given: Record<string, number> = {}
  for (const [field, option] of Object.entries(SETTING_OPTIONS)) {
    const raw = values[option]
    if (raw === undefined) continue
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN
    if (!Number.isFinite(value))
      throw new UsageError(`--${option} must be a number (got ${String(raw)})`)
    given[field] = value
  }
  const parsed = magnifySettingsSchema.safeParse(given)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = String(issue.path[0]) as keyof typeof SETTING_OPTIONS
    throw new UsageError(`--${SETTING_OPTIONS[field]} ${issue.message.toLowerCase()}`)
  }
  try {
    return resolveMagnifySettings(parsed.data)
  } catch (error) {
    if (error instanceof AppError && error.code === 'invalid_input') {
      throw new UsageError(`--r2 must be smaller than --r1 (${error.message})`)
    }
    throw error
  }
}

/** The clip ids `--clip ID` (repeatable) or `--all` (every clip, or of `--dataset NAME`) name. */
export function clipIdsOf(dbFile: string, values: OptionValues): number[] {
  const raw = Array.isArray(values.clip)
    ? values.clip
    : values.clip === undefined
      ? []
      : [values.clip]
  if (raw.length > 0 && values.all) throw new UsageError('give --clip or --all, not both')
  const db = openLibrary(dbFile, { readonly: true })
  try {
    if (values.all) {
      const datasetId = datasetIdByName(db, dbFile, values)
      const ids = db
        .prepare('SELECT id FROM clips WHERE (? IS NULL OR dataset_id = ?) ORDER BY id')
        .pluck()
        .all(datasetId ?? null, datasetId ?? null) as number[]
      if (ids.length === 0) throw new AppError('not_found', `${dbFile} has no clips`)
      return ids
    }
    if (raw.length === 0) throw new UsageError('--clip ID or --all is required')
    return raw.map((value) => {
      const id = Number(value)
      if (typeof value !== 'string' || !Number.isInteger(id) || id < 1) {
        throw new UsageError(`--clip must be a clip id (got ${String(value)})`)
      }
      if (!db.prepare('SELECT 1 FROM clips WHERE id = ?').get(id)) {
        throw new AppError('not_found', `There is no clip with id ${id} in ${dbFile}`, {
          clipId: id,
        })
      }
      return id
    })
  } finally {
    db.close()
  }
}

/** The id of the dataset `--dataset NAME` names, or undefined when the option is absent. */
export function datasetIdByName(
  db: LibraryDb,
  dbFile: string,
  values: OptionValues,
): number | undefined {
  const name = values.dataset
  if (name === undefined) return undefined
  if (typeof name !== 'string') throw new UsageError('--dataset must be a dataset name')
  const found = listDatasets(db).find((d) => d.name === name)
  if (!found) throw new AppError('not_found', `There is no dataset named "${name}" in ${dbFile}`)
  return found.id
}
