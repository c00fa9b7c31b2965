/**
 * Frame extraction speed: the app's extraction into the content-addressed cache against
 * plain ffmpeg writing the same frames as PNG files, and the raw-pipe decode rate, on one
 * generated clip (200 frames, 640×480, 200 fps H.264 with sensor-like noise), in one run.
 *
 *   npx tsx bench/extraction.bench.ts
 *
 * Prints a markdown section and writes it to bench/results/extraction.md.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { decodeFrames } from '../src/engine/media/decode-frames'
import { extractVideoFrames } from '../src/engine/media/extract-frames'
import { locateFfmpeg, type FfmpegTools } from '../src/engine/media/ffmpeg-locate'
import { frameKey } from '../src/engine/media/frame-cache'
import { encodePng } from '../src/engine/media/image-io'

const FRAMES = 200
const WIDTH = 640
const HEIGHT = 480
const REPEATS = 3

function ffmpeg(tools: FfmpegTools, args: string[]): void {
  const run = spawnSync(tools.ffmpeg, ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args], {
    encoding: 'utf8',
  })
  if (run.status !== 0) throw new Error(`ffmpeg ${args.join(' ')}: ${run.stderr}`)
}

/** Median seconds of `REPEATS` runs of `task`, each after `prepare`. */
async function time(prepare: () => void, task: () => Promise<void> | void): Promise<number> {
  const seconds: number[] = []
  for (let i = 0; i < REPEATS; i++) {
    prepare()
    const start = performance.now()
    await task()
    seconds.push((performance.now() - start) / 1000)
  }
  return seconds.sort((a, b) => a - b)[Math.floor(REPEATS / 2)]
}

function bytesBelow(dir: string): number {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + fs.statSync(path.join(entry.parentPath, entry.name)).size, 0)
}

interface Row {
  what: string
  seconds: number
  note: string
}

async function benchTools(tools: FfmpegTools, work: string): Promise<Row[]> {
  const clip = path.join(work, 'clip.mp4')
  ffmpeg(tools, [
    '-f',
    'lavfi',
    '-i',
    `testsrc2=s=${WIDTH}x${HEIGHT}:r=200,noise=alls=12:allf=t`,
    '-frames:v',
    String(FRAMES),
    '-c:v',
    'libx264',
    '-crf',
    '18',
    '-pix_fmt',
    'yuv420p',
    clip,
  ])
  const cache = path.join(work, 'library.sqlite.frames')
  const out = path.join(work, 'png')
  const fresh = (dir: string) => () => {
    fs.rmSync(dir, { recursive: true, force: true })
    fs.mkdirSync(dir, { recursive: true })
  }
  const rows: Row[] = []

  let frames = 0
  const app = await time(fresh(cache), async () => {
    frames = (await extractVideoFrames(clip, cache, { tools })).frames.length
  })
  if (frames !== FRAMES) throw new Error(`extraction gave ${frames} frames, not ${FRAMES}`)
  rows.push({
    what: 'app: extractVideoFrames into the cache (probe included)',
    seconds: app,
    note: mb(bytesBelow(cache)),
  })

  const plainArgs = ['-i', clip, ...tools.passthrough]
  const plain = await time(fresh(out), () =>
    ffmpeg(tools, [...plainArgs, path.join(out, '%05d.png')]),
  )
  rows.push({
    what: 'plain ffmpeg → %05d.png (default PNG settings)',
    seconds: plain,
    note: mb(bytesBelow(out)),
  })
  const plainFast = await time(fresh(out), () =>
    ffmpeg(tools, [...plainArgs, '-compression_level', '1', path.join(out, '%05d.png')]),
  )
  rows.push({
    what: "plain ffmpeg → %05d.png, -compression_level 1 (the app's setting)",
    seconds: plainFast,
    note: mb(bytesBelow(out)),
  })

  const raw = await time(
    () => {},
    async () => {
      for await (const frame of decodeFrames(clip, { tools })) frames = frame.index
    },
  )
  rows.push({ what: 'decodeFrames: raw RGB through a pipe', seconds: raw, note: '' })

  const nodePng = await time(
    () => {},
    async () => {
      for await (const frame of decodeFrames(clip, { tools }))
        frameKey(encodePng(frame, { compressionLevel: 1 }))
    },
  )
  rows.push({
    what: 'alternative: decodeFrames + pngjs encode + SHA-256 in Node',
    seconds: nodePng,
    note: '',
  })
  return rows
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`
}

async function main(): Promise<void> {
  const located = await locateFfmpeg()
  const onPath = await locateFfmpeg({ sources: ['path'] }).catch(() => null)
  const toolsets = onPath && onPath.ffmpeg !== located.ffmpeg ? [located, onPath] : [located]
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'microau-bench-'))
  const lines = [
    '## Frame extraction',
    '',
    `Date: ${new Date().toISOString().slice(0, 10)}; machine: ${os.cpus()[0].model} (${os.cpus().length} logical CPUs), ` +
      `${os.platform()} ${os.release()}; Node ${process.version}; load average at start ` +
      `${os.loadavg()[0].toFixed(1)} (other work on the machine slows every row alike).`,
    '',
    `Clip: ${FRAMES} frames, ${WIDTH}×${HEIGHT}, 200 fps, H.264 crf 18 4:2:0 with temporal noise (camera-like: ` +
      'PNG compresses it poorly). Median of ' +
      `${REPEATS} runs; frames per second = ${FRAMES} / median seconds.`,
  ]
  try {
    for (const tools of toolsets) {
      const rows = await benchTools(tools, work)
      lines.push(
        '',
        `### ffmpeg ${tools.version} (${tools.source}: ${tools.ffmpeg})`,
        '',
        '| path | seconds | frames/s | on disk |',
        '| --- | ---: | ---: | ---: |',
        ...rows.map(
          (r) =>
            `| ${r.what} | ${r.seconds.toFixed(2)} | ${(FRAMES / r.seconds).toFixed(0)} | ${r.note} |`,
        ),
      )
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true })
  }
  const text = `${lines.join('\n')}\n`
  process.stdout.write(text)
  const results = path.join(import.meta.dirname, 'results', 'extraction.md')
  fs.mkdirSync(path.dirname(results), { recursive: true })
  fs.writeFileSync(results, text)
}

await main()
