/**
 * Spotting benchmark: `microau spot` as a lab runs it (face detection, then the streaming
 * spotter) on synthetic long recordings (bench sizes: 10 s and 60 s at 200 fps 640×480, and
 * 10 s of 2040×1088 grey at 200 fps), each in its own process under /usr/bin/time: peak RSS,
 * wall time, CPU per frame, speed against real time, library bytes per minute of video
 * (--db). Then spotting quality by the MEGC protocol (IoU ≥ 0.5, micro-expressions only;
 * blinks and macro-expressions spotted as micro count as false positives) on several seeds
 * at 200 and 30 fps, with the share of footage a coder still has to watch.
 *
 * `npx tsx bench/spotting.bench.ts` prints a markdown section and writes
 * bench/results/spotting.md (`-- --quality`: the quality tables only). Videos are kept in the
 * system temp folder between runs (named `-roll` since the generator's head rolls).
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  writeLongRecording,
  type LongRecordingTruth,
} from '../src/engine/datasets/synthetic/long-recording'
import { scoreSpotting, type FrameInterval } from '../src/engine/signal/spotting/megc-evaluation'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const CLI = path.join(HERE, '..', 'bin', 'microau.js')
const WORK = path.join(os.tmpdir(), 'microau-bench-spotting')

interface Recording {
  name: string
  seed: number
  seconds: number
  fps: number
  width: number
  height: number
}

const SIZES: Recording[] = [
  { name: '10 s, 200 fps, 640×480', seed: 1, seconds: 10, fps: 200, width: 640, height: 480 },
  { name: '60 s, 200 fps, 640×480', seed: 2, seconds: 60, fps: 200, width: 640, height: 480 },
  {
    name: '10 s, 200 fps, 2040×1088 grey',
    seed: 3,
    seconds: 10,
    fps: 200,
    width: 2040,
    height: 1088,
  },
]
const QUALITY: Recording[] = [
  ...[11, 12, 13, 14].map((seed) => ({ seed, fps: 30 })),
  ...[11, 12].map((seed) => ({ seed, fps: 200 })),
].map(({ seed, fps }) => ({
  name: `seed ${seed}, ${fps} fps`,
  seed,
  seconds: 30,
  fps,
  width: 640,
  height: 480,
}))

async function video(r: Recording): Promise<{ file: string; truth: LongRecordingTruth }> {
  const file = path.join(
    WORK,
    `s${r.seed}-${r.seconds}s-${r.fps}fps-${r.width}x${r.height}-roll.mp4`,
  )
  const truthFile = file.replace(/\.mp4$/, '.truth.json')
  if (!fs.existsSync(truthFile)) {
    console.error(`bench: writing ${file}`)
    await writeLongRecording({ ...r, out: file })
  }
  return { file, truth: JSON.parse(fs.readFileSync(truthFile, 'utf8')) as LongRecordingTruth }
}

interface Measured {
  intervals: (FrameInterval & { kind: string })[]
  frames: number
  rssMb: number
  wall: number
  cpu: number
  dbBytes: number
}

/** Runs `microau spot --json --db` in its own process under /usr/bin/time. */
function spot(file: string, extra: string[] = []): Measured {
  const db = path.join(WORK, `lib-${process.pid}-${path.basename(file)}.sqlite`)
  fs.rmSync(db, { force: true })
  const run = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      'TIME %M %e %U %S',
      process.execPath,
      CLI,
      'spot',
      '--in',
      file,
      '--json',
      '--db',
      db,
      ...extra,
    ],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  )
  if (run.status !== 0) throw new Error(`spot failed on ${file}: ${run.stderr.slice(-2000)}`)
  const [, rss, wall, user, sys] = /TIME (\d+) ([\d.]+) ([\d.]+) ([\d.]+)/.exec(run.stderr)!
  const out = JSON.parse(run.stdout) as {
    videos: { frames: number; intervals: (FrameInterval & { kind: string })[] }[]
  }
  const dbBytes = ['', '-wal'].reduce(
    (sum, s) => sum + (fs.statSync(db + s, { throwIfNoEntry: false })?.size ?? 0),
    0,
  )
  fs.rmSync(db, { force: true })
  return {
    intervals: out.videos[0].intervals,
    frames: out.videos[0].frames,
    rssMb: Number(rss) / 1024,
    wall: Number(wall),
    cpu: Number(user) + Number(sys),
    dbBytes,
  }
}

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')
  return `${new Date().toISOString().slice(0, 10)} · ${cpu} · ${os.cpus().length} logical cores · Node ${process.version} · load average ${load} at start`
}

async function main(): Promise<void> {
  fs.mkdirSync(WORK, { recursive: true })
  const lines = [
    '## Spotting in long recordings',
    '',
    machine(),
    '',
    '`microau spot --json --db` (face detection on the first frame, then one streaming pass:',
    'grey frames scaled by ffmpeg, face tracked, feature differences; `engine/signal/spotting`),',
    'one process per row under /usr/bin/time. Synthetic long recordings (`writeLongRecording`:',
    'H.264 crf 18, keyframes every 250 frames, planted micro- and macro-expressions, blinks,',
    'head drift and roll, noise). Real time = video seconds / wall seconds. Rows are written as they',
    'finish, cheapest first.',
  ]
  await qualityTable(
    lines,
    QUALITY.filter((r) => r.fps === 30),
  )
  if (!process.argv.includes('--quality')) {
    await loopTable(lines)
    await sizeTable(lines)
  }
  await qualityTable(
    lines,
    QUALITY.filter((r) => r.fps === 200),
  )
  console.log(save(lines))
}

/**
 * Memory against length without waiting for long renders: a 30 s, 30 fps 640×480 recording
 * repeated (ffmpeg -stream_loop, stream copy) 2 and 14 times and read as 200 fps (`--fps
 * 200`, so every window is sized for 200 fps): 1800 and 12600 frames, 9 s and 63 s.
 */
async function loopTable(lines: string[]): Promise<void> {
  lines.push(
    '',
    'Length, at 640×480 read as 200 fps (a 30 s 30 fps recording looped, `--fps 200`):',
    '',
    '| recording | frames | peak RSS | wall | CPU per frame | × real time (CPU) | library per minute |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  )
  const { file } = await video(QUALITY[0])
  for (const loops of [2, 14]) {
    const looped = path.join(WORK, `loop${loops}.mp4`)
    const run = spawnSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-stream_loop',
      String(loops - 1),
      '-i',
      file,
      '-c',
      'copy',
      looped,
    ])
    if (run.status !== 0) throw new Error(`ffmpeg could not loop ${file}`)
    const m = spot(looped, ['--fps', '200'])
    const minutes = m.frames / 200 / 60
    lines.push(
      `| ${loops} × 30 s at 30 fps, read as 200 fps | ${m.frames} | ${m.rssMb.toFixed(0)} MB | ${m.wall.toFixed(1)} s | ${((m.cpu / m.frames) * 1000).toFixed(2)} ms | ${(m.frames / 200 / m.cpu).toFixed(2)} | ${(m.dbBytes / minutes / 1024).toFixed(0)} KB |`,
    )
    save(lines)
  }
}

async function sizeTable(lines: string[]): Promise<void> {
  lines.push(
    '',
    '| recording | frames | peak RSS | wall | CPU per frame | × real time | library per minute |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  )
  for (const r of SIZES) {
    const { file } = await video(r)
    const m = spot(file)
    const minutes = m.frames / r.fps / 60
    lines.push(
      `| ${r.name} | ${m.frames} | ${m.rssMb.toFixed(0)} MB | ${m.wall.toFixed(1)} s | ${((m.cpu / m.frames) * 1000).toFixed(2)} ms | ${(m.frames / r.fps / m.wall).toFixed(2)} | ${(m.dbBytes / minutes / 1024).toFixed(0)} KB |`,
    )
    save(lines)
  }
}

async function qualityTable(lines: string[], recordings: Recording[]): Promise<void> {
  lines.push(
    '',
    'Quality, MEGC protocol: a spotted micro interval is a hit when its IoU with a planted',
    'micro-expression is ≥ 0.5 (one hit per expression); blinks and macro-expressions spotted as',
    'micro are false positives. 30 s recordings, 640×480, 6 micro-expressions, 2 macro-expressions,',
    'about 8 blinks each. Share to watch = frames inside any spotted interval (micro or macro) / all frames.',
    '',
    '| recording | micro planted | TP | FP | FN | precision | recall | F1 | share to watch | × real time |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  )
  const total = { tp: 0, fp: 0, fn: 0 }
  for (const r of recordings) {
    const { file, truth } = await video(r)
    const m = spot(file)
    const micro = truth.events.filter((e) => e.kind === 'micro')
    const s = scoreSpotting(
      micro,
      m.intervals.filter((i) => i.kind === 'micro'),
      m.frames,
    )
    const watch = scoreSpotting([], m.intervals, m.frames).shareToWatch
    total.tp += s.truePositives
    total.fp += s.falsePositives
    total.fn += s.falseNegatives
    lines.push(
      `| ${r.name} | ${micro.length} | ${s.truePositives} | ${s.falsePositives} | ${s.falseNegatives} | ${s.precision.toFixed(2)} | ${s.recall.toFixed(2)} | ${s.f1.toFixed(2)} | ${(watch * 100).toFixed(1)}% | ${(m.frames / r.fps / m.wall).toFixed(2)} |`,
    )
    save(lines)
  }
  const { tp, fp, fn } = total
  lines.push(
    `| all ${recordings.length} at ${recordings[0]?.fps} fps | ${tp + fn} | ${tp} | ${fp} | ${fn} | ${(tp / Math.max(1, tp + fp)).toFixed(2)} | ${(tp / Math.max(1, tp + fn)).toFixed(2)} | ${((2 * tp) / Math.max(1, 2 * tp + fp + fn)).toFixed(2)} | | |`,
  )
  save(lines)
}

/** Writes the section as far as it got, so a run stopped early keeps its rows. */
function save(lines: string[]): string {
  const text = lines.join('\n') + '\n'
  fs.mkdirSync(path.join(HERE, 'results'), { recursive: true })
  fs.writeFileSync(path.join(HERE, 'results', 'spotting.md'), text)
  console.error(lines[lines.length - 1])
  return text
}

await main()
