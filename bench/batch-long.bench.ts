/**
 * Batch on long recordings: `microau batch` as a lab runs it on a folder holding one
 * participant's synthetic long recording (10 s and 60 s at 200 fps, 640×480; 10 s of
 * 2040×1088 grey; MICROAU_BENCH_RECORDINGS picks some by name), each in its
 * own process under /usr/bin/time: peak RSS (must not grow with the length), wall time, CPU
 * per frame, the rows (spotted events) it gave and the frames ffmpeg decoded per frame of the
 * video (ffmpeg runs behind a script that adds `-progress` to every decode, so each decode
 * reports the frames it gave). The model is an untrained one (seeded) of the `tiny` preset, or
 * of MICROAU_BENCH_PRESET (e.g. `paper`, whose 256-pixel input makes the largest spill):
 * prediction costs the same whatever the weights. Spill: the size of the batch's temporary crop
 * file (`microau-spill-*` beside the library), sampled every 0.25 s, at its largest.
 *
 * `npx tsx bench/batch-long.bench.ts` prints a markdown section and writes
 * bench/results/batch-long.md. Videos are kept in the system temp folder between runs.
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeLongRecording } from '../src/engine/datasets/synthetic/long-recording'
import { AuModel } from '../src/engine/ml/model/au-model'
import { MODEL_PRESETS } from '../src/engine/ml/model/presets'
import { tf } from '../src/engine/ml/tf'
import { saveAuModel } from '../src/engine/ml/weights/tfjs-format'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const CLI = path.join(HERE, '..', 'bin', 'microau.js')
const WORK = path.join(os.tmpdir(), 'microau-bench-batch-long')
const PRESET = (process.env.MICROAU_BENCH_PRESET ?? 'tiny') as 'tiny' | 'laptop' | 'paper'

const RECORDINGS = [
  { name: '10 s, 200 fps, 640×480', seed: 1, seconds: 10, width: 640, height: 480 },
  { name: '60 s, 200 fps, 640×480', seed: 2, seconds: 60, width: 640, height: 480 },
  { name: '10 s, 200 fps, 2040×1088 grey', seed: 3, seconds: 10, width: 2040, height: 1088 },
]
  .map((r) => ({ ...r, fps: 200 }))
  // MICROAU_BENCH_RECORDINGS: comma-separated parts of the names to run (all when unset).
  .filter((r) => {
    const only = process.env.MICROAU_BENCH_RECORDINGS?.split(',')
    return !only || only.some((part) => r.name.includes(part))
  })

/** A folder `<WORK>/<name>/p01/recording.mp4` holding the recording, written once. */
async function folderOf(r: (typeof RECORDINGS)[number]): Promise<string> {
  const folder = path.join(WORK, `s${r.seed}-${r.seconds}s-${r.width}x${r.height}`)
  const file = path.join(folder, 'p01', 'recording.mp4')
  if (!fs.existsSync(file)) {
    console.error(`bench: writing ${file}`)
    await writeLongRecording({ ...r, out: file })
    // The ground truth beside it would be taken for nothing (not a video), but keep it apart.
    fs.renameSync(file.replace(/\.mp4$/, '.truth.json'), path.join(folder, 'truth.json'))
  }
  return folder
}

async function untrainedModel(): Promise<string> {
  const dir = path.join(WORK, PRESET === 'tiny' ? 'model' : `model-${PRESET}`)
  if (fs.existsSync(path.join(dir, 'model.json'))) return dir
  await tf.setBackend('cpu')
  const model = AuModel.create(MODEL_PRESETS[PRESET].model, ['1', '2', '4', '12'], { seed: 5 })
  try {
    await saveAuModel(dir, model, { preset: PRESET, training: { variant: 'iicl' } })
  } finally {
    model.dispose()
  }
  return dir
}

/**
 * A script standing in for ffmpeg: every run that pipes frames out (a decode) gets
 * `-progress <file>`, so its last `frame=` line says how many frames it decoded.
 */
function countingFfmpeg(progressDir: string): string {
  const real = spawnSync('sh', ['-c', 'command -v ffmpeg'], { encoding: 'utf8' }).stdout.trim()
  const script = path.join(WORK, 'ffmpeg-counting.sh')
  fs.writeFileSync(
    script,
    `#!/bin/sh\ncase "$*" in\n  *pipe:1*) exec '${real}' -progress "${progressDir}/run-$$.txt" "$@" ;;\n  *) exec '${real}' "$@" ;;\nesac\n`,
  )
  fs.chmodSync(script, 0o755)
  return script
}

/** Frames decoded by the runs that wrote progress into `progressDir` (each run's last count). */
function framesDecoded(progressDir: string): { runs: number; frames: number } {
  const files = fs.readdirSync(progressDir)
  const frames = files.reduce((sum, f) => {
    const counts = [
      ...fs.readFileSync(path.join(progressDir, f), 'utf8').matchAll(/^frame=(\d+)$/gm),
    ]
    return sum + Number(counts.at(-1)?.[1] ?? 0)
  }, 0)
  return { runs: files.length, frames }
}

/** Bytes of the spill files (crops.bin in each microau-spill-… folder) in a folder now. */
function spillBytes(folder: string): number {
  return fs
    .readdirSync(folder)
    .filter((name) => name.startsWith('microau-spill-'))
    .map((name) => fs.statSync(path.join(folder, name, 'crops.bin'), { throwIfNoEntry: false }))
    .reduce((sum, stat) => sum + (stat?.size ?? 0), 0)
}

/** Runs a command, sampling the spill files in `folder` every 0.25 s; its output and the largest. */
async function runSampling(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  folder: string,
): Promise<{ status: number | null; stdout: string; stderr: string; spill: number }> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-100_000)))
  let spill = 0
  const timer = setInterval(() => (spill = Math.max(spill, spillBytes(folder))), 250)
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve))
  clearInterval(timer)
  return { status, stdout, stderr, spill }
}

interface Measured {
  /** Bytes of the spill file at its largest (sampled). */
  spill: number
  decoded: { runs: number; frames: number }
  rows: number
  rssMb: number
  wall: number
  cpu: number
}

/** Runs `microau batch --json` on a folder in its own process under /usr/bin/time. */
async function batch(folder: string, model: string): Promise<Measured> {
  const db = path.join(WORK, `lib-${process.pid}.sqlite`)
  const out = path.join(WORK, `out-${process.pid}`)
  const progress = path.join(WORK, `progress-${process.pid}`)
  for (const f of [db, `${db}-wal`, `${db}-shm`, out, progress])
    fs.rmSync(f, { force: true, recursive: true })
  fs.mkdirSync(progress)
  const ffprobe = spawnSync('sh', ['-c', 'command -v ffprobe'], { encoding: 'utf8' }).stdout.trim()
  const env = { ...process.env, FFMPEG_PATH: countingFfmpeg(progress), FFPROBE_PATH: ffprobe }
  const args = ['batch', '--in', folder, '--model', model, '--db', db, '--out', out, '--json']
  const run = await runSampling(
    '/usr/bin/time',
    ['-f', 'TIME %M %e %U %S', process.execPath, CLI, ...args],
    env,
    WORK,
  )
  if (run.status !== 0) throw new Error(`batch failed on ${folder}: ${run.stderr.slice(-2000)}`)
  const [, rss, wall, user, sys] = /TIME (\d+) ([\d.]+) ([\d.]+) ([\d.]+)/.exec(run.stderr)!
  const result = JSON.parse(run.stdout) as { clips: number }
  const decoded = framesDecoded(progress)
  for (const f of [db, `${db}-wal`, `${db}-shm`, out, progress])
    fs.rmSync(f, { force: true, recursive: true })
  return {
    spill: run.spill,
    decoded,
    rows: result.clips,
    rssMb: Number(rss) / 1024,
    wall: Number(wall),
    cpu: Number(user) + Number(sys),
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

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`
}

function save(lines: string[]): string {
  const text = lines.join('\n') + '\n'
  fs.mkdirSync(path.join(HERE, 'results'), { recursive: true })
  const name = PRESET === 'tiny' ? 'batch-long.md' : `batch-long-${PRESET}.md`
  fs.writeFileSync(path.join(HERE, 'results', name), text)
  console.error(lines[lines.length - 1])
  return text
}

async function main(): Promise<void> {
  fs.mkdirSync(WORK, { recursive: true })
  const model = await untrainedModel()
  const lines = [
    '## Batch analysis of long recordings',
    '',
    machine(),
    '',
    '`microau batch --json` on a folder with one participant’s synthetic long recording',
    '(`writeLongRecording`, H.264), one process per row under /usr/bin/time: job worker',
    'included (the CLI runs the job in a forked worker; /usr/bin/time reports the largest',
    'process’s peak RSS). The recording is read once: one ffmpeg decode splits each frame into',
    'the spotter’s grey frame and an RGB frame, whose tracked face crop at the model’s input size',
    'goes to a temporary spill file; after the spotter has seen every frame, each event is',
    'magnified from its onset to its apex out of the spill. Decoded per frame: frames all',
    'ffmpeg decodes gave (each reports its count through `-progress`) over the video’s frames;',
    'the face detector’s first-frame read is stopped after one frame and may not get to report.',
    `Model: untrained \`${PRESET}\` preset (crops of ${MODEL_PRESETS[PRESET].training.resizeSize} px).`,
    'Spill: the temporary crop file at its largest (sampled every 0.25 s), and per minute of video.',
    '',
    '| recording | frames | rows (events) | decodes | decoded per frame | peak RSS | wall | CPU per frame | spill at its largest | spill per minute |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const r of RECORDINGS) {
    const m = await batch(await folderOf(r), model)
    const frames = r.seconds * r.fps
    const spillPerMinute = m.spill / (r.seconds / 60)
    lines.push(
      `| ${r.name} | ${frames} | ${m.rows} | ${m.decoded.runs} | ${(m.decoded.frames / frames).toFixed(3)} | ${m.rssMb.toFixed(0)} MB | ${m.wall.toFixed(1)} s | ${((m.cpu / frames) * 1000).toFixed(2)} ms | ${mb(m.spill)} | ${mb(spillPerMinute)} |`,
    )
    save(lines)
  }
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')
  lines.push('', `Load average at the end: ${load}.`)
  console.log(save(lines))
}

await main()
