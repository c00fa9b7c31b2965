import { batchJobInput, BATCH_KIND, type BatchRequest } from '../../engine/batch/batch-input'
import type { BatchJobResult } from '../../engine/batch/batch-job'
import { batchTable } from '../../engine/batch/batch-table'
import { openLibrary } from '../../engine/db/open-library'
import { defaultLibraryPath } from '../../engine/paths'
import { eventTimes } from '../../shared/batch-counts'
import { thresholdSourceText } from '../../shared/decision-thresholds'
import { ML_BACKENDS, type BatchTable } from '../../shared/ml'
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

const cell = (text: string, width: number) => text.slice(0, width).padStart(width)

/** One line per event: participant/video, kind, onset–apex–offset frames and time, probabilities. */
function printEvents(io: CliIo, table: BatchTable): void {
  const aus = table.aus.map((au) => `AU${au}`.padStart(6)).join('')
  io.stdout(`${'event'.padEnd(26)}${'kind'.padStart(6)}  onset-apex-offset   apex (s)  ${aus}\n`)
  for (const row of table.rows) {
    const name = `${row.subject}/${row.video}`.slice(0, 26).padEnd(26)
    const frames = `${row.onset ?? '-'}-${row.apex ?? '-'}-${row.offset ?? '-'}`.padStart(17)
    const seconds = eventTimes(row).apex
    const time = cell(seconds === null ? '-' : seconds.toFixed(3), 9)
    const ps = row.probabilities.map((p, a) =>
      cell(
        Number.isFinite(p) ? `${p.toFixed(2)}${p >= table.thresholds.values[a] ? '+' : ' '}` : '-',
        6,
      ),
    )
    io.stdout(`${name}${cell(row.kind, 6)}  ${frames}  ${time}  ${ps.join('')}\n`)
  }
  io.stdout("+ at or above the AU's threshold\n")
}

/** One line per participant: events per kind and events per AU. */
function printParticipants(io: CliIo, table: BatchTable): void {
  const aus = table.aus.map((au) => `AU${au}`.padStart(6)).join('')
  io.stdout(`\n${'participant'.padEnd(16)} micro macro  clip  ${aus}\n`)
  for (const p of table.participants) {
    const kinds = [p.events.micro, p.events.macro, p.events.clip].map((n) => cell(String(n), 5))
    const counts = p.auCounts.map((n) => cell(String(n), 6)).join('')
    io.stdout(`${p.subject.slice(0, 16).padEnd(16)}${kinds.join(' ')}  ${counts}\n`)
  }
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
  printEvents(io, table)
  printParticipants(io, table)
  const used = table.aus.map((au, i) => `AU${au} ${table.thresholds.values[i]}`).join(', ')
  io.stdout(`thresholds: ${thresholdSourceText(table.thresholds.source)} (${used})\n`)
  for (const p of result.faceCropProblems) io.stdout(`face crop: ${p.clip}: ${p.problem}\n`)
  io.stdout(
    `${result.clips} rows of dataset "${result.dataset}" (id ${result.datasetId}), model ${result.modelId}\n${result.csv}\n${result.participantsCsv}\n${result.xlsx}\n`,
  )
}

/**
 * `microau batch`: a folder of videos (a subfolder per participant) to a CSV and an XLSX with
 * one row per spotted event of a long video (one per short video, taken whole), and the
 * per-participant counts (second CSV, second sheet).
 */
export const batch: Command = {
  name: 'batch',
  summary:
    'Batch analysis: a folder of videos to a table of events with AU probabilities and per-participant counts (CSV and XLSX)',
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
