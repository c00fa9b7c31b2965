import { AppError } from '../../shared/errors'
import { locateFfmpeg } from '../../engine/media/ffmpeg-locate'
import type { Command } from '../command'

/** `microau doctor`: what this machine has, what is missing, and how to get it. */
export const doctor: Command = {
  name: 'doctor',
  summary: 'Check ffmpeg and the tensor backends: what runs, what is missing and how to get it',
  usage: '[--json]',
  options: { json: { type: 'boolean' } },
  async run(values, io) {
    const ffmpeg = await locateFfmpeg().then(
      (tools) => ({ ok: true as const, ...tools }),
      (error: unknown) => ({
        ok: false as const,
        problem: error instanceof AppError ? error.message : String(error),
      }),
    )
    // TensorFlow.js loads only for the commands that use it.
    const { selectBackend } = await import('../../engine/ml/backend')
    const backend = await selectBackend({ purpose: 'training' })
    if (values.json) {
      io.stdout(JSON.stringify({ ffmpeg, backend }, null, 2) + '\n')
    } else {
      io.stdout(
        ffmpeg.ok
          ? `ffmpeg: ${ffmpeg.ffmpeg} (${ffmpeg.version}, from ${ffmpeg.source}${ffmpeg.ffprobe ? '' : ', no ffprobe'})\n`
          : `ffmpeg: MISSING: ${ffmpeg.problem}\n`,
      )
      io.stdout(`tensor backend for training: ${backend.name} (${backend.reason})\n`)
      for (const attempt of backend.attempts) {
        io.stdout(`  ${attempt.ok ? 'ok  ' : 'no  '} ${attempt.name}: ${attempt.reason}\n`)
      }
    }
    return ffmpeg.ok ? 0 : 1
  },
}
