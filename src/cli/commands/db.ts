import fs from 'node:fs'
import { openLibrary, schemaVersion } from '../../engine/db/open-library'
import { latestVersion } from '../../engine/db/migrations'
import { listDatasets } from '../../engine/db/queries/datasets'
import { frameCacheDir } from '../../engine/media/frame-cache'
import { sweepFrameCache } from '../../engine/media/frame-cache-sweep'
import { requireString, type Command } from '../command'

/** `microau db migrate --db FILE`: creates or upgrades a library file. */
export const dbMigrate: Command = {
  name: 'db migrate',
  summary: 'Create a library file or upgrade it to the current schema',
  usage: '--db FILE [--json]',
  options: { db: { type: 'string' }, json: { type: 'boolean' } },
  async run(values, io) {
    const file = requireString(values, 'db')
    const before = fs.existsSync(file) ? readVersion(file) : 0
    const db = openLibrary(file)
    const after = schemaVersion(db)
    db.close()
    if (values.json) io.stdout(JSON.stringify({ db: file, from: before, to: after }) + '\n')
    else
      io.stdout(
        before === after
          ? `${file}: already at schema ${after}\n`
          : `${file}: schema ${before} → ${after}\n`,
      )
    return 0
  },
}

/** `microau db info --db FILE`: schema version and contents of a library. */
export const dbInfo: Command = {
  name: 'db info',
  summary: 'Show the schema version and the datasets of a library',
  usage: '--db FILE [--json]',
  options: { db: { type: 'string' }, json: { type: 'boolean' } },
  async run(values, io) {
    const file = requireString(values, 'db')
    const db = openLibrary(file, { readonly: true })
    const info = {
      db: file,
      schemaVersion: schemaVersion(db),
      latestVersion,
      datasets: listDatasets(db),
    }
    db.close()
    if (values.json) {
      io.stdout(JSON.stringify(info, null, 2) + '\n')
    } else {
      io.stdout(`${file}\n  schema ${info.schemaVersion} (this version writes ${latestVersion})\n`)
      for (const d of info.datasets)
        io.stdout(`  ${d.name}: ${d.subjectCount} subjects, ${d.clipCount} clips\n`)
    }
    return 0
  },
}

/** `microau db gc --db FILE`: removes frame-cache PNGs the library no longer refers to. */
export const dbGc: Command = {
  name: 'db gc',
  summary:
    'Remove frames of the frame cache that nothing in the library refers to (older than an hour)',
  usage: '--db FILE [--dry-run] [--json]',
  options: { db: { type: 'string' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
  async run(values, io) {
    const file = requireString(values, 'db')
    const db = openLibrary(file, { readonly: true })
    try {
      const sweep = await sweepFrameCache(db, frameCacheDir(file), {
        dryRun: values['dry-run'] === true,
      })
      if (values.json) io.stdout(JSON.stringify(sweep) + '\n')
      else {
        const mib = (sweep.freedBytes / 2 ** 20).toFixed(1)
        io.stdout(
          `${frameCacheDir(file)}: ${sweep.dryRun ? 'would remove' : 'removed'} ${sweep.removed} unreferenced frames (${mib} MiB); kept ${sweep.kept} in use and ${sweep.recent} newer than an hour\n`,
        )
      }
    } finally {
      db.close()
    }
    return 0
  },
}

function readVersion(file: string): number {
  const db = openLibrary(file, { readonly: true })
  try {
    return schemaVersion(db)
  } finally {
    db.close()
  }
}
