import { openLibrary } from '../../engine/db/open-library'
import { listClips } from '../../engine/db/queries/clips'
import { listDatasets } from '../../engine/db/queries/datasets'
import { integerOption, requireString, type Command } from '../command'

/** `microau clips --db FILE [--dataset NAME] [--json]`: the clips of a library. */
export const clips: Command = {
  name: 'clips',
  summary: 'List the clips of a library (optionally of one dataset)',
  usage: '--db FILE [--dataset NAME] [--limit N] [--json]',
  options: {
    db: { type: 'string' },
    dataset: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(values, io) {
    const db = openLibrary(requireString(values, 'db'), { readonly: true })
    try {
      const name = values.dataset
      const dataset =
        typeof name === 'string' ? listDatasets(db).find((d) => d.name === name) : undefined
      if (typeof name === 'string' && !dataset) {
        io.stderr(`microau clips: there is no dataset named "${name}"\n`)
        return 1
      }
      const rows = listClips(db, {
        datasetId: dataset?.id,
        limit: integerOption(values, 'limit', 100_000, 1, 1_000_000),
        offset: 0,
      })
      if (values.json) {
        io.stdout(JSON.stringify(rows, null, 2) + '\n')
      } else {
        for (const c of rows) {
          io.stdout(`${c.id}\t${c.subject}\t${c.name}\t${c.frameCount} frames @ ${c.fps} fps\n`)
        }
      }
      return 0
    } finally {
      db.close()
    }
  },
}
