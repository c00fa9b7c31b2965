import path from 'node:path'
import type { MagnifyJobResult } from '../../shared/signal'
import { magnifyFolder } from '../../engine/signal-jobs/frame-folder'
import { MAGNIFY_KIND, magnifyJobInput } from '../../engine/signal-jobs/magnify-job'
import { requireString, UsageError, type Command } from '../command'
import { parseInput, runLibraryJob } from './ml-job'
import { clipIdsOf, MAGNIFY_USAGE, magnifyOptions, magnifySettingsOf } from './signal-options'

/**
 * `microau magnify`: linear Eulerian magnification (IIR) of a folder of frames into PNG
 * frames, or of library clips into the library's magnified-frame cache (a job, as the app
 * runs it).
 */
export const magnify: Command = {
  name: 'magnify',
  summary: 'Magnify a frames folder into PNG frames, or library clips into the frame cache',
  usage: `(--in DIR --out DIR | --db FILE (--clip ID … | --all [--dataset NAME])) ${MAGNIFY_USAGE} [--json]`,
  options: {
    in: { type: 'string' },
    out: { type: 'string' },
    db: { type: 'string' },
    clip: { type: 'string', multiple: true },
    all: { type: 'boolean' },
    dataset: { type: 'string' },
    ...magnifyOptions,
    json: { type: 'boolean' },
  },
  async run(values, io) {
    const settings = magnifySettingsOf(values)
    if (values.in !== undefined || values.out !== undefined) {
      if (values.db !== undefined) throw new UsageError('give --in/--out or --db, not both')
      const input = path.resolve(requireString(values, 'in'))
      const out = path.resolve(requireString(values, 'out'))
      let shown = 0
      const result = await magnifyFolder(input, out, settings, {
        onProgress: (done, total) => {
          const now = Date.now()
          if (now - shown >= 1000 || done === total) {
            shown = now
            io.stderr(`magnify: ${done}/${total} frames\n`)
          }
        },
      })
      const summary = {
        in: input,
        out,
        frames: result.frames,
        width: result.width,
        height: result.height,
        settings,
      }
      if (values.json)
        io.stdout(JSON.stringify({ ...summary, files: result.files }, null, 2) + '\n')
      else
        io.stdout(
          `${result.frames} magnified frames (${result.width}×${result.height}) in ${out}\n`,
        )
      return 0
    }
    const dbFile = path.resolve(requireString(values, 'db'))
    const input = parseInput(magnifyJobInput, { clipIds: clipIdsOf(dbFile, values), settings })
    const job = await runLibraryJob(dbFile, MAGNIFY_KIND, input, io, 'magnify')
    const result = job.result as MagnifyJobResult
    if (values.json) io.stdout(JSON.stringify(result, null, 2) + '\n')
    else {
      for (const clip of result.clips) {
        io.stdout(
          `clip ${clip.clipId}: ${clip.frames} frames ${clip.cached ? 'already cached' : 'magnified'}\n`,
        )
      }
    }
    return 0
  },
}
