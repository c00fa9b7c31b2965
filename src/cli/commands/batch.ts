import { batchJobInput, BATCH_KIND, type BatchRequest } from '../../engine/batch/batch-input'
import type { BatchJobResult } from '../../engine/batch/batch-job'
import { batchTable } from '../../engine/batch/batch-table'
import { openLibrary } from '../../engine/db/open-library'
import { defaultLibraryPath } from '../../engine/paths'
import { thresholdSourceText } from '../../shared/decision-thresholds'
import { ML_BACKENDS } from '../../shared/ml'
import { requireString, UsageError, type CliIo, type Command } from '../command'
import { runLibraryJob } from './ml-job'

/** `--model 3` names a model of the library; anything else is a model folder. */
function modelOf(value: string): BatchRequest['model'] {
  return /^\d+$/.test(value) ? { id: Number(value) } : { dir: value }
}

function fpsOf(raw: unknown): number | undefined {
  if (raw === undefined) return undefined
  const fps = Number(raw)
  if (typeof raw !== 'string' || !(fps > 0 && fps <= 10_000))
    throw new UsageError(`--fps must be a frame rate above 0 (got ${String(raw)})`)
  return fps
}

function thresholdOf(raw: unknown): number | undefined {
  if (raw === undefined) return undefined
  const threshold = Number(raw)
  if (typeof raw !== 'string' || raw.trim() === '' || !(threshold >= 0 && threshold <= 1))
    throw new UsageError(`--threshold must be a probability from 0 to 1 (got ${String(raw)})`)
  return threshold
}

function backendOf(raw: unknown): BatchRequest['backend'] {
  if (raw === undefined) return undefined
  const found = ML_BACKENDS.find((b) => b === raw)
  if (!found) throw new UsageError(`--backend must be one of ${ML_BACKENDS.join(', ')}`)
  return found
}

function printTable(io: CliIo, dbFile: string, result: BatchJobResult): void {
  const db = openLibrary(dbFile, { readonly: true })
  const table = (() => {
    try {
      return batchTable(db, result.datasetId, result.modelId, result.threshold)
    } finally {
      db.close()
    }
  })()
  io.stdout(`clip${' '.repeat(20)}apex  ${table.aus.map((au) => `AU${au}`.padStart(6)).join('')}\n`)
  for (const row of table.rows) {
    const name = `${row.subject}/${row.clip}`.slice(0, 22).padEnd(22)
    const apex = `${row.apex ?? '-'}${row.apexSource === 'spotted' ? '*' : ' '}`.padStart(6)
    const ps = row.probabilities.map((p) => (Number.isFinite(p) ? p.toFixed(2) : '-').padStart(6))
    io.stdout(`${name}${apex}  ${ps.join('')}\n`)
  }
  if (table.rows.some((r) => r.apexSource === 'spotted')) io.stdout('* apex spotted\n')
  const used = table.aus.map((au, i) => `AU${au} ${table.thresholds.values[i]}`).join(', ')
  io.stdout(`thresholds: ${thresholdSourceText(table.thresholds.source)} (${used})\n`)
  for (const p of result.faceCropProblems) io.stdout(`face crop: ${p.clip}: ${p.problem}\n`)
  io.stdout(
    `${result.clips} clips of dataset "${result.dataset}" (id ${result.datasetId}), model ${result.modelId}\n${result.csv}\n${result.xlsx}\n`,
  )
}

/**
 * `microau batch`: a folder of videos (a subfolder per participant) through import, face crop,
 * apex spotting and prediction, to a CSV and an XLSX with one row per clip.
 */
export const batch: Command = {
  name: 'batch',
  summary: 'Batch analysis: a folder of videos to a table of AU probabilities (CSV and XLSX)',
  usage:
    '--in FOLDER --model ID|DIR [--db FILE] [--out DIR] [--dataset NAME] [--fps N] [--threshold P] [--backend auto|wasm|cpu] [--json]',
  options: {
    in: { type: 'string' },
    model: { type: 'string' },
    db: { type: 'string' },
    out: { type: 'string' },
    dataset: { type: 'string' },
    fps: { type: 'string' },
    threshold: { type: 'string' },
    backend: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(values, io) {
    const folder = requireString(values, 'in')
    const model = modelOf(requireString(values, 'model'))
    const dbFile = typeof values.db === 'string' ? values.db : defaultLibraryPath()
    const request: BatchRequest = {
      folder,
      model,
      dataset: typeof values.dataset === 'string' ? values.dataset : undefined,
      outDir: typeof values.out === 'string' ? values.out : undefined,
      fps: fpsOf(values.fps),
      threshold: thresholdOf(values.threshold),
      backend: backendOf(values.backend),
    }
    const db = openLibrary(dbFile)
    const input = (() => {
      try {
        return batchJobInput(db, request)
      } finally {
        db.close()
      }
    })()
    const job = await runLibraryJob(dbFile, BATCH_KIND, input, io, 'batch')
    const result = job.result as BatchJobResult
    if (values.json) io.stdout(JSON.stringify(result, null, 2) + '\n')
    else printTable(io, dbFile, result)
    return 0
  },
}
