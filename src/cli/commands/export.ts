import path from 'node:path'
import { exportDataset, type ExportFormat } from '../../engine/datasets/export/export-dataset'
import { openLibrary } from '../../engine/db/open-library'
import { listDatasets } from '../../engine/db/queries/datasets'
import { requireString, UsageError, type Command } from '../command'

const FORMATS: readonly ExportFormat[] = ['csv', 'xlsx', 'json', 'frames', 'eaf', 'boris']

/** `microau export`: labelled data back out. */
export const exportCommand: Command = {
  name: 'export',
  summary:
    'Export a dataset as CSV, XLSX, a JSON manifest, onset/apex/close-to-apex frames, ELAN .eaf files or a BORIS table',
  usage: `--db FILE --format ${FORMATS.join('|')} --out PATH [--dataset NAME] [--coder NAME] [--json]`,
  options: {
    db: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    dataset: { type: 'string' },
    coder: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(values, io) {
    const format = requireString(values, 'format') as ExportFormat
    if (!FORMATS.includes(format))
      throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`)
    const out = path.resolve(requireString(values, 'out'))
    const db = openLibrary(requireString(values, 'db'), { readonly: true })
    try {
      const dataset = typeof values.dataset === 'string' ? values.dataset : onlyDataset(db)
      io.stderr(`export: ${dataset} as ${format} to ${out}\n`)
      const summary = await exportDataset(db, {
        format,
        dataset,
        out,
        coder: typeof values.coder === 'string' ? values.coder : undefined,
      })
      if (values.json) io.stdout(JSON.stringify(summary, null, 2) + '\n')
      else
        io.stdout(
          `wrote ${summary.out} (${summary.count} ${format === 'frames' || format === 'eaf' ? 'files' : 'rows'})\n`,
        )
      return 0
    } finally {
      db.close()
    }
  },
}

function onlyDataset(db: Parameters<typeof listDatasets>[0]): string {
  const datasets = listDatasets(db)
  if (datasets.length !== 1) {
    throw new UsageError(
      `--dataset is required: the library has ${datasets.length} datasets (${datasets.map((d) => d.name).join(', ')})`,
    )
  }
  return datasets[0].name
}
