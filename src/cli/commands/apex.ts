import path from 'node:path'
import { AppError } from '../../shared/errors'
import type { ApexJobResult, FillMissingApexResult } from '../../shared/signal'
import { openLibrary } from '../../engine/db/open-library'
import { listDatasets } from '../../engine/db/queries/datasets'
import { APEX_KIND, apexJobInput } from '../../engine/signal-jobs/apex-job'
import {
  FILL_MISSING_APEX_KIND,
  fillMissingApexInput,
} from '../../engine/signal-jobs/fill-missing-apex-job'
import { spotFolderApex } from '../../engine/signal-jobs/frame-folder'
import { requireString, UsageError, type Command, type CliIo, type OptionValues } from '../command'
import { parseInput, runLibraryJob } from './ml-job'
import { clipIdsOf, datasetIdByName } from './signal-options'

/**
 * `microau apex`: frequency-domain apex spotting (Li, Huang & Zhao 2018) on a folder of
 * frames; on a library, the score curves of clips, or the missing apexes of coded clips
 * filled in as estimated values.
 */
export const apex: Command = {
  name: 'apex',
  summary: 'Spot the apex of a frames folder, or fill the missing apexes of a library',
  usage:
    '(--in DIR | --db FILE (--fill-missing [--dataset NAME] [--coder NAME|ID] | --clip ID … | --all [--dataset NAME])) [--json]',
  options: {
    in: { type: 'string' },
    db: { type: 'string' },
    'fill-missing': { type: 'boolean' },
    clip: { type: 'string', multiple: true },
    all: { type: 'boolean' },
    dataset: { type: 'string' },
    coder: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(values, io) {
    if (values.in !== undefined) {
      if (values.db !== undefined) throw new UsageError('give --in or --db, not both')
      const input = path.resolve(requireString(values, 'in'))
      const result = await spotFolderApex(input, {
        onProgress: (done, total) => {
          if (done === total) io.stderr(`apex: read ${total} frames, scoring…\n`)
        },
      })
      if (values.json) {
        const { apexIndex, apexFrame, scores } = result
        io.stdout(JSON.stringify({ apexIndex, apexFrame, scores }) + '\n')
      } else {
        io.stdout(
          `apex: frame ${result.apexFrame} (index ${result.apexIndex} of ${result.numbers.length})\n`,
        )
      }
      return 0
    }
    const dbFile = path.resolve(requireString(values, 'db'))
    if (values['fill-missing']) {
      if (values.clip !== undefined || values.all) {
        throw new UsageError('--fill-missing works on datasets: leave out --clip and --all')
      }
      return fillMissing(dbFile, values, io)
    }
    const input = parseInput(apexJobInput, { clipIds: clipIdsOf(dbFile, values) })
    const job = await runLibraryJob(dbFile, APEX_KIND, input, io, 'apex')
    const result = job.result as ApexJobResult
    if (values.json) io.stdout(JSON.stringify(result, null, 2) + '\n')
    else {
      for (const clip of result.clips) {
        io.stdout(`clip ${clip.clipId}: apex ${clip.apexFrame}${clip.cached ? ' (cached)' : ''}\n`)
      }
    }
    return 0
  },
}

/** Runs one fill-missing job per dataset (the named one, or all) and prints what it stored. */
async function fillMissing(dbFile: string, values: OptionValues, io: CliIo): Promise<number> {
  const { datasetIds, coderId } = fillTargets(dbFile, values)
  const results: FillMissingApexResult[] = []
  for (const datasetId of datasetIds) {
    const input = parseInput(fillMissingApexInput, { datasetId, coderId })
    const job = await runLibraryJob(dbFile, FILL_MISSING_APEX_KIND, input, io, 'apex')
    results.push(job.result as FillMissingApexResult)
  }
  if (values.json) io.stdout(JSON.stringify(results, null, 2) + '\n')
  else {
    for (const r of results) {
      io.stdout(`dataset ${r.datasetId}: ${r.filled.length} apexes estimated on ${r.clips} clips\n`)
      for (const f of r.filled)
        io.stdout(`  clip ${f.clipId}, coder ${f.coderId}: apex ${f.apex}\n`)
    }
  }
  return 0
}

/** The datasets (--dataset, or all) and the coder (--coder name or id) to fill for. */
function fillTargets(dbFile: string, values: OptionValues) {
  const db = openLibrary(dbFile, { readonly: true })
  try {
    const named = datasetIdByName(db, dbFile, values)
    const datasetIds = named !== undefined ? [named] : listDatasets(db).map((d) => d.id)
    if (datasetIds.length === 0) throw new AppError('not_found', `${dbFile} has no datasets`)
    let coderId: number | undefined
    if (values.coder !== undefined) {
      const coder = String(values.coder)
      const row = db
        .prepare(
          'SELECT id FROM coders WHERE name = ? OR CAST(id AS TEXT) = ? ORDER BY name = ? DESC',
        )
        .pluck()
        .get(coder, coder, coder) as number | undefined
      if (row === undefined)
        throw new AppError('not_found', `There is no coder "${coder}" in ${dbFile}`)
      coderId = row
    }
    return { datasetIds, coderId }
  } finally {
    db.close()
  }
}
