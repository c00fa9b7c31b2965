import path from 'node:path'
import { generateSyntheticDataset } from '../../engine/datasets/synthetic/generate'
import { integerOption, requireString, UsageError, type Command } from '../command'

/** `microau synth`: a deterministic synthetic micro-expression dataset. */
export const synth: Command = {
  name: 'synth',
  summary: 'Generate a synthetic micro-expression dataset (CASME II layout or videos)',
  usage:
    '--out DIR [--subjects N] [--clips K] [--seed S] [--format casme2|video] [--size PX] [--quirks] [--json]',
  options: {
    out: { type: 'string' },
    subjects: { type: 'string' },
    clips: { type: 'string' },
    seed: { type: 'string' },
    format: { type: 'string' },
    size: { type: 'string' },
    quirks: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(values, io) {
    const format = values.format ?? 'casme2'
    if (format !== 'casme2' && format !== 'video')
      throw new UsageError('--format must be casme2 or video')
    const outDir = path.resolve(requireString(values, 'out'))
    io.stderr(`synth: writing ${format} dataset to ${outDir}\n`)
    const dataset = await generateSyntheticDataset({
      outDir,
      subjects: integerOption(values, 'subjects', 12, 1, 200),
      clipsPerSubject: integerOption(values, 'clips', 8, 1, 100),
      seed: integerOption(values, 'seed', 1, 0, 2 ** 32 - 1),
      format,
      size: integerOption(values, 'size', 160, 32, 1024),
      quirks: values.quirks === true,
    })
    const summary = {
      outDir,
      format,
      sheet: dataset.sheetPath,
      frames: dataset.framesRoot,
      subjects: dataset.subjects.length,
      clips: dataset.clips.length,
    }
    if (values.json) io.stdout(JSON.stringify(summary, null, 2) + '\n')
    else
      io.stdout(
        `${summary.clips} clips of ${summary.subjects} subjects\nsheet: ${summary.sheet}\nframes: ${summary.frames}\n`,
      )
    return 0
  },
}
