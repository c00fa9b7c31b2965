import path from 'node:path'
import { importRequestSchema } from '../../shared/schemas'
import { importDataset } from '../../engine/datasets/import/import-dataset'
import { openLibrary } from '../../engine/db/open-library'
import { requireString, UsageError, type Command } from '../command'

const FORMATS = ['casme2', 'samm', 'casme3', 'mmew', 'csv', 'folder', 'video', 'eaf'] as const

/** `microau import`: one importer, one transaction, a report of every flagged row. */
export const importCommand: Command = {
  name: 'import',
  summary: 'Import a database release, a coding sheet, a frame folder or videos into a library',
  usage: `--db FILE --format ${FORMATS.join('|')} [--sheet FILE] --frames DIR_OR_FILE [--frames FILE …] [--dataset NAME] [--fps N] [--coder NAME] [--subject CODE] [--cropped] [--face-crop] [--tier TIER=CODER …] [--json]`,
  options: {
    db: { type: 'string' },
    format: { type: 'string' },
    sheet: { type: 'string' },
    frames: { type: 'string', multiple: true },
    dataset: { type: 'string' },
    fps: { type: 'string' },
    coder: { type: 'string' },
    subject: { type: 'string' },
    cropped: { type: 'boolean' },
    'face-crop': { type: 'boolean' },
    tier: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  },
  async run(values, io) {
    const file = requireString(values, 'db')
    const format = requireString(values, 'format')
    if (!(FORMATS as readonly string[]).includes(format))
      throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`)
    const frames = (Array.isArray(values.frames) ? values.frames : []).map((f) =>
      path.resolve(String(f)),
    )
    // ELAN documents link their media; --frames only says where to look when a link is broken.
    if (format === 'eaf' && frames.length === 0 && typeof values.sheet === 'string') {
      frames.push(path.dirname(path.resolve(values.sheet)))
    }
    if (frames.length === 0) throw new UsageError('--frames is required')
    const request = importRequestSchema.safeParse({
      format: format === 'video' ? 'videos' : format,
      sheet: typeof values.sheet === 'string' ? path.resolve(values.sheet) : undefined,
      frames: format === 'video' ? frames : frames[0],
      dataset:
        typeof values.dataset === 'string' ? values.dataset : defaultDatasetName(format, frames[0]),
      fps: typeof values.fps === 'string' ? Number(values.fps) : undefined,
      coder: values.coder,
      subject: values.subject,
      variant: values.cropped ? 'cropped' : undefined,
      tiers: tierMapping(values.tier),
    })
    if (!request.success) {
      const issue = request.error.issues[0]
      throw new UsageError(`--${String(issue.path[0] ?? 'input')} ${issue.message}`)
    }
    const db = openLibrary(file)
    try {
      io.stderr(
        `import: ${format} from ${request.data.sheet ?? frames[0]} into "${request.data.dataset}"\n`,
      )
      const report = await importDataset(db, request.data)
      if (values['face-crop']) {
        // Raw lab recordings: find the face in each new clip and store its eye-aligned crop.
        const ids = db
          .prepare('SELECT id FROM clips WHERE dataset_id = ? AND crop IS NULL ORDER BY id')
          .pluck()
          .all(report.datasetId) as number[]
        // TensorFlow.js and face-api load only when faces are cropped.
        const { cropClipFaces } = await import('../../engine/datasets/face-crop')
        const { createFaceApiDetector } = await import('../../engine/media/face/face-api-detector')
        const results = await cropClipFaces(db, ids, await createFaceApiDetector(), {
          onProgress: (done, total) => io.stderr(`face crop: ${done}/${total}\n`),
        })
        for (const r of results.filter((r) => r.problem))
          io.stderr(`face crop: ${r.clip}: ${r.problem}\n`)
      }
      if (values.json) {
        io.stdout(JSON.stringify(report, null, 2) + '\n')
      } else {
        io.stdout(
          `${report.dataset}: ${report.clips} clips, ${report.subjects} subjects, ${report.labels} AU labels\n`,
        )
        for (const flag of report.flags) {
          const where = [flag.file, flag.row && `row ${flag.row}`, flag.column]
            .filter(Boolean)
            .join(', ')
          io.stdout(`  ${flag.code}: ${flag.message} (${where})\n`)
        }
      }
      return 0
    } finally {
      db.close()
    }
  },
}

/** `--tier 'Coder A=Ann'` options as a tier → coder mapping (none given: undefined). */
function tierMapping(values: unknown): Record<string, string> | undefined {
  if (!Array.isArray(values) || values.length === 0) return undefined
  const mapping: Record<string, string> = {}
  for (const value of values.map(String)) {
    const at = value.lastIndexOf('=')
    if (at <= 0 || at === value.length - 1) {
      throw new UsageError(`--tier takes TIER=CODER, not '${value}'`)
    }
    mapping[value.slice(0, at)] = value.slice(at + 1)
  }
  return mapping
}

function defaultDatasetName(format: string, frames: string): string {
  return `${format.toUpperCase()} ${path.basename(frames)}`.slice(0, 200)
}
