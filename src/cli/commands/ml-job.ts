import type { Job } from '../../shared/domain'
import { AppError } from '../../shared/errors'
import { createEngine } from '../../engine/api/engine'
import { openLibrary } from '../../engine/db/open-library'
import { listDatasets } from '../../engine/db/queries/datasets'
import { UsageError, type CliIo, type Command, type OptionValues } from '../command'

/** The options `train` and `ablation` share: the library, the data and the run's settings. */
export const TRAINING_RUN_OPTIONS: Command['options'] = {
  db: { type: 'string' },
  /** Comma-separated dataset names or ids. */
  dataset: { type: 'string' },
  preset: { type: 'string' },
  folds: { type: 'string' },
  epochs: { type: 'string' },
  seed: { type: 'string' },
  coder: { type: 'string' },
  'min-positives': { type: 'string' },
  'batch-size': { type: 'string' },
  /** Train only the AU head on the frozen pretrained backbone. */
  'linear-probe': { type: 'boolean' },
  /** Train the backbone too (what the preset leaves unfrozen). */
  'fine-tune': { type: 'boolean' },
  /** `inner-split` (default) or `paper` (0.5 for every AU). */
  thresholds: { type: 'string' },
  'micro-batch': { type: 'string' },
  'batch-norm': { type: 'string' },
  'step-workers': { type: 'string' },
  backend: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
}

/**
 * Runs one durable job of the library to its end in a worker process, as the app does:
 * progress lines on stderr, Ctrl-C cancels the job (it can be resumed with jobs.resume).
 * Resolves to the settled job; a failed or cancelled job is an AppError.
 */
export async function runLibraryJob(
  dbFile: string,
  kind: string,
  input: unknown,
  io: CliIo,
  label: string,
): Promise<Job> {
  const engine = createEngine({ libraryPath: dbFile })
  let lastLine = ''
  let lastTime = 0
  let jobId = 0
  const off = engine.on('job.changed', (job) => {
    if (job.id !== jobId || !job.progress) return
    const p = job.progress
    const losses = p.metrics
      ? Object.entries(p.metrics)
          .filter(([k]) => ['total', 'bceApex', 'na', 'oa'].includes(k) || k.startsWith('foldF1'))
          .map(([k, v]) => `${k} ${v.toFixed(3)}`)
          .join(', ')
      : ''
    const line = `${label}: ${p.done}/${p.total} ${p.message ?? ''}${losses ? ` (${losses})` : ''}`
    const now = Date.now()
    if (line !== lastLine && (now - lastTime > 1000 || p.done === p.total)) {
      io.stderr(line + '\n')
      lastLine = line
      lastTime = now
    }
  })
  const interrupt = () => {
    io.stderr(`${label}: cancelling job ${jobId}…\n`)
    engine.jobs.cancel(jobId)
  }
  process.once('SIGINT', interrupt)
  try {
    jobId = engine.jobs.start(kind, input).id
    io.stderr(`${label}: job ${jobId} started\n`)
    const job = await engine.jobs.whenSettled(jobId)
    if (job.status !== 'succeeded') {
      throw new AppError(
        job.status === 'cancelled'
          ? 'cancelled'
          : ((job.error?.code as AppError['code'] | undefined) ?? 'internal'),
        `job ${jobId} ${job.status}: ${job.error?.message ?? 'no message'}`,
        job.error?.details,
      )
    }
    return job
  } finally {
    process.off('SIGINT', interrupt)
    off()
    engine.close()
  }
}

/**
 * The datasets --dataset names: a comma-separated list of dataset names or ids (a name that
 * itself holds a comma may be given whole); without --dataset, the library's only dataset.
 */
export function datasetIdsOf(dbFile: string, values: OptionValues): number[] {
  const db = openLibrary(dbFile, { readonly: true })
  try {
    const datasets = listDatasets(db)
    const list = values.dataset
    if (typeof list !== 'string') {
      if (datasets.length !== 1) {
        throw new UsageError(`--dataset is required (the library has ${datasets.length} datasets)`)
      }
      return [datasets[0].id]
    }
    const whole = datasets.find((d) => d.name === list.trim())
    const parts = whole ? [whole.name] : list.split(',').map((p) => p.trim())
    const ids = parts.map((part) => {
      const found =
        datasets.find((d) => d.name === part) ??
        (/^\d+$/.test(part) ? datasets.find((d) => d.id === Number(part)) : undefined)
      if (!found) {
        throw new AppError(
          'not_found',
          `There is no dataset named or numbered "${part}" in ${dbFile} (datasets: ${datasets.map((d) => `${d.name} (id ${d.id})`).join(', ') || 'none'})`,
        )
      }
      return found.id
    })
    const twice = ids.find((id, i) => ids.indexOf(id) !== i)
    if (twice !== undefined) {
      throw new UsageError(`--dataset names dataset ${twice} twice`)
    }
    return ids
  } finally {
    db.close()
  }
}

/** The one dataset --dataset names (a name or id), or the library's only dataset. */
export function datasetIdOf(dbFile: string, values: OptionValues): number {
  const ids = datasetIdsOf(dbFile, values)
  if (ids.length !== 1) throw new UsageError(`--dataset names ${ids.length} datasets; give one`)
  return ids[0]
}

/** Parses a job input with its schema; the first problem becomes a usage error. */
export function parseInput<T>(
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } }
  },
  value: unknown,
): T {
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new UsageError(`${issue.path.map(String).join('.') || 'input'}: ${issue.message}`)
  }
  return parsed.data
}

/** A number option or undefined. */
export function optionalInteger(values: OptionValues, name: string): number | undefined {
  const raw = values[name]
  if (raw === undefined) return undefined
  const value = Number(raw)
  if (typeof raw !== 'string' || !Number.isInteger(value))
    throw new UsageError(`--${name} must be an integer`)
  return value
}

/**
 * What a run trains: --linear-probe (the AU head on frozen pretrained features) or
 * --fine-tune (the backbone too); the preset's default when neither is given.
 */
function trainModeOf(values: OptionValues): 'linear-probe' | 'fine-tune' | undefined {
  if (values['linear-probe'] && values['fine-tune']) {
    throw new UsageError('Give --linear-probe or --fine-tune, not both')
  }
  if (values['linear-probe']) return 'linear-probe'
  return values['fine-tune'] ? 'fine-tune' : undefined
}

/**
 * What the run trains (trainModeOf) and how each step is computed, from --micro-batch (clips per micro-batch; default: the
 * largest that fits), --batch-norm micro-batch|frozen and --step-workers (threads).
 */
export function stepOverrides(values: OptionValues): Record<string, unknown> {
  return {
    trainMode: trainModeOf(values),
    microBatch: optionalInteger(values, 'micro-batch'),
    batchNorm: values['batch-norm'],
    stepWorkers: optionalInteger(values, 'step-workers'),
  }
}
