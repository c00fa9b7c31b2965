/**
 * Long-recording memory benchmark (issue 13, must-show 1): the paths that walk a whole video
 * clip, as a lab runs them from the CLI, on synthetic long recordings (10 s and 60 s at
 * 200 fps 640×480, and 10 s of 2040×1088 grey at 200 fps):
 *
 * - import: `microau import --format video --face-crop` (probe, frame rows, face box);
 * - apex: `microau apex --db … --clip 1` (the apex curve of the imported clip, face-cropped);
 * - magnify: `microau magnify --db … --clip 1` (EVM of the clip into the frame cache);
 * - predict: `microau predict --model TINY --in VIDEO` (apex spotted, magnified, predicted).
 *
 * Each case runs in a fresh process group under /usr/bin/time: peak RSS of the largest process
 * is its maxRSS (job workers included), peak RSS of all processes is the group's summed RSS
 * sampled every 0.5 s (CLI, job worker, ffmpeg); CPU is user + system. A watchdog polls
 * the group's summed RSS every 0.5 s and stops a case past MICROAU_BENCH_CAP_MB (6000 MB by
 * default, so a whole-clip path cannot take the shared machine down) or past
 * MICROAU_BENCH_CASE_S seconds (900 by default); such a row shows the peak seen so far.
 * Disk = bytes the case added to the library folder (SQLite + frame cache), per minute of video.
 *
 * MICROAU_BENCH_RECORDINGS and MICROAU_BENCH_CASES (comma-separated parts of the names, e.g.
 * "60 s" and "apex,magnify") run some rows only; a recording's import always runs, since the
 * other cases read its library.
 *
 * `npx tsx bench/long-memory.bench.ts [LABEL]` prints a markdown section and writes
 * bench/results/long-memory.md (or long-memory-LABEL.md when a LABEL such as "before" is given). Videos are shared
 * with bench/spotting (same names in the system temp folder).
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeLongRecording } from '../src/engine/datasets/synthetic/long-recording'
import { generateSyntheticDataset } from '../src/engine/datasets/synthetic/generate'
import { importDataset } from '../src/engine/datasets/import/import-dataset'
import { openLibrary } from '../src/engine/db/open-library'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const CLI = path.join(HERE, '..', 'bin', 'microau.js')
const WORK = path.join(os.tmpdir(), 'microau-bench-spotting')
const CAP_MB = Number(process.env.MICROAU_BENCH_CAP_MB ?? 6000)
const CASE_S = Number(process.env.MICROAU_BENCH_CASE_S ?? 900)
const ONLY_RECORDINGS = process.env.MICROAU_BENCH_RECORDINGS?.split(',')
const ONLY_CASES = process.env.MICROAU_BENCH_CASES?.split(',')

/** Whether `name` is one of `only` (a part of it), or everything runs. */
function chosen(name: string, only: string[] | undefined): boolean {
  return only === undefined || only.some((part) => name.includes(part.trim()))
}

interface Recording {
  name: string
  seed: number
  seconds: number
  fps: number
  width: number
  height: number
}

const SIZES: Recording[] = [
  { name: '10 s 640×480', seed: 1, seconds: 10, fps: 200, width: 640, height: 480 },
  { name: '60 s 640×480', seed: 2, seconds: 60, fps: 200, width: 640, height: 480 },
  { name: '10 s 2040×1088 grey', seed: 3, seconds: 10, fps: 200, width: 2040, height: 1088 },
]

async function video(r: Recording): Promise<string> {
  const file = path.join(WORK, `s${r.seed}-${r.seconds}s-${r.fps}fps-${r.width}x${r.height}.mp4`)
  if (!fs.existsSync(file.replace(/\.mp4$/, '.truth.json'))) {
    console.error(`bench: writing ${file}`)
    await writeLongRecording({ ...r, out: file })
  }
  return file
}

/** A tiny trained model for `predict --in` (trained once, kept in the temp folder). */
async function tinyModel(): Promise<string> {
  const dir = path.join(WORK, 'long-memory-model')
  const model = path.join(dir, 'model')
  if (fs.existsSync(path.join(model, 'model.json'))) return model
  fs.rmSync(dir, { recursive: true, force: true })
  const dataset = await generateSyntheticDataset({
    outDir: path.join(dir, 'synthetic'),
    subjects: 4,
    clipsPerSubject: 2,
    seed: 3,
    format: 'casme2',
    size: 48,
  })
  const lib = path.join(dir, 'library.sqlite')
  const db = openLibrary(lib)
  await importDataset(db, {
    format: 'casme2',
    sheet: dataset.sheetPath,
    frames: dataset.framesRoot,
    dataset: 'synthetic',
  }).finally(() => db.close())
  cli(
    ['train', '--db', lib, '--preset', 'tiny', '--variant', 'iicl', '--folds', '2'],
    ['--epochs', '1', '--seed', '4', '--min-positives', '2', '--backend', 'wasm', '--out', model],
  )
  return model
}

function cli(...args: string[][]): void {
  const run = spawnSync(process.execPath, [CLI, ...args.flat()], { encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`microau ${args.flat()[0]} failed: ${run.stderr}`)
}

interface Measured {
  /** The largest single process (its own maxRSS when the case finished, else sampled). */
  peakMb: number
  /** The group's summed RSS, sampled every 0.5 s (CLI, job worker and ffmpeg together). */
  groupMb: number
  wall: number
  cpu: number | null
  stopped: string | null
}

/** Bytes under a folder (or of one file); 0 when missing. */
function sizeOf(target: string): number {
  const stat = fs.statSync(target, { throwIfNoEntry: false })
  if (!stat) return 0
  if (!stat.isDirectory()) return stat.size
  return fs.readdirSync(target).reduce((sum, n) => sum + sizeOf(path.join(target, n)), 0)
}

/** The summed and the largest RSS (MB) of a process group's processes. */
function groupRssMb(pgid: number): { sum: number; largest: number } {
  const ps = spawnSync('ps', ['-o', 'rss=', '-g', String(pgid)], { encoding: 'utf8' })
  const sizes = ps.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => Number(l) / 1024)
  return { sum: sizes.reduce((a, b) => a + b, 0), largest: Math.max(0, ...sizes) }
}

/** Runs `microau ARGS` in its own process group under /usr/bin/time, with the watchdog. */
async function measure(args: string[]): Promise<Measured> {
  const started = Date.now()
  const child = spawn('/usr/bin/time', ['-f', 'TIME %M %e %U %S', process.execPath, CLI, ...args], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)))
  let peak = 0
  let largest = 0
  let stopped: string | null = null
  const timer = setInterval(() => {
    const rss = groupRssMb(child.pid!)
    peak = Math.max(peak, rss.sum)
    largest = Math.max(largest, rss.largest)
    const seconds = (Date.now() - started) / 1000
    if (stopped === null && (peak > CAP_MB || seconds > CASE_S)) {
      stopped = peak > CAP_MB ? `stopped past ${CAP_MB} MB` : `stopped after ${CASE_S} s`
      process.kill(-child.pid!, 'SIGKILL')
    }
  }, 500)
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  clearInterval(timer)
  const wall = (Date.now() - started) / 1000
  if (stopped !== null) return { peakMb: largest, groupMb: peak, wall, cpu: null, stopped }
  const match = /TIME (\d+) ([\d.]+) ([\d.]+) ([\d.]+)/.exec(stderr)
  if (code !== 0 || !match) throw new Error(`microau ${args[0]} failed: ${stderr.slice(-3000)}`)
  const [, rss, time, user, sys] = match
  return {
    peakMb: Math.max(Number(rss) / 1024, largest),
    groupMb: peak,
    wall: Number(time),
    cpu: Number(user) + Number(sys),
    stopped: null,
  }
}

function frameCount(file: string): number {
  const probe = spawnSync('ffprobe', [
    ...['-v', 'error', '-select_streams', 'v:0', '-count_packets'],
    ...['-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', file],
  ])
  return Number(probe.stdout.toString().trim())
}

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')
  return `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${cpu} · ${os.cpus().length} logical cores · ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB · Node ${process.version} · load average ${load} at start`
}

/** The four cases of one recording, in order (each later case reads the imported library). */
function casesOf(file: string, lib: string, model: string): { name: string; args: string[] }[] {
  return [
    {
      name: 'import',
      args: ['import', '--db', lib, '--format', 'video', '--frames', file, '--face-crop'],
    },
    { name: 'apex', args: ['apex', '--db', lib, '--clip', '1', '--json'] },
    { name: 'magnify', args: ['magnify', '--db', lib, '--clip', '1', '--json'] },
    {
      name: 'predict --in',
      args: ['predict', '--model', model, '--in', file, '--backend', 'wasm'],
    },
  ]
}

function row(r: Recording, frames: number, name: string, m: Measured, disk: number): string {
  const minutes = frames / r.fps / 60
  const cpu = m.cpu === null ? '–' : `${((m.cpu / frames) * 1000).toFixed(2)} ms`
  const more = m.stopped ? '≥ ' : ''
  const peak = `${more}${m.peakMb.toFixed(0)} MB | ${more}${m.groupMb.toFixed(0)} MB`
  const perMinute = m.stopped ? `– (${m.stopped})` : `${(disk / minutes / 2 ** 20).toFixed(1)} MB`
  return `| ${r.name} | ${frames} | ${name} | ${peak} | ${m.wall.toFixed(1)} s | ${cpu} | ${perMinute} |`
}

async function main(): Promise<void> {
  const label = process.argv[2] ?? 'current code'
  const slug = process.argv[2] ? `-${label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}` : ''
  const result = path.join(HERE, 'results', `long-memory${slug}.md`)
  fs.mkdirSync(WORK, { recursive: true })
  const lines = [
    `### Long recordings, ${label}`,
    '',
    machine(),
    '',
    `Each case in a fresh process group; stopped past ${CAP_MB} MB or ${CASE_S} s.`,
    '',
    '| recording (200 fps) | frames | case | peak RSS, largest process | peak RSS, all processes | wall | CPU per frame | disk per minute |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
  ]
  const model = await tinyModel()
  for (const r of SIZES.filter((size) => chosen(size.name, ONLY_RECORDINGS))) {
    const file = await video(r)
    const frames = frameCount(file)
    const dir = path.join(WORK, `long-memory-s${r.seed}`)
    fs.rmSync(dir, { recursive: true, force: true })
    fs.mkdirSync(dir)
    const lib = path.join(dir, 'library.sqlite')
    for (const c of casesOf(file, lib, model)) {
      if (c.name !== 'import' && !chosen(c.name, ONLY_CASES)) continue
      const before = sizeOf(dir)
      const m = await measure(c.args)
      lines.push(row(r, frames, c.name, m, sizeOf(dir) - before))
      save(lines, result)
      if (c.name === 'import' && m.stopped) break
    }
    fs.rmSync(dir, { recursive: true, force: true })
  }
  console.log(save(lines, result))
}

/** Writes the section as far as it got, so a run stopped early keeps its rows. */
function save(lines: string[], result: string): string {
  const text = lines.join('\n') + '\n'
  fs.mkdirSync(path.dirname(result), { recursive: true })
  fs.writeFileSync(result, text)
  console.error(lines[lines.length - 1])
  return text
}

await main()
