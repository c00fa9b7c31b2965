import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCsv } from '../../../src/engine/datasets/sheets/csv'
import { writeLongRecording } from '../../../src/engine/datasets/synthetic/long-recording'
import { runMicroau } from '../../helpers/cli'
import { tempDir } from '../../helpers/temp'
import { saveTinyModel } from '../batch/tiny-model'

/*
 * A lab files each session in a folder of its own: P01/day1/task.mp4 and P01/day2/task.mp4.
 * The two recordings are the same synthetic long recording (10 s at 50 fps, H.264), so they
 * are spotted alike: clips named by the file's name alone (`task.mp4@onset-offset`) would
 * collide on the clips' UNIQUE (dataset, subject, name) and fail the batch. Named by the path
 * inside the participant's folder, both land, and the table tells the videos apart. The
 * batch starts by sweeping the spill a killed batch left beside the library.
 */

const { dir, cleanup } = tempDir('microau-batch-names-')
const folder = path.join(dir, 'lab')
const library = path.join(dir, 'lib.sqlite')
const modelDir = path.join(dir, 'model')
const out = path.join(dir, 'out')
let stale = ''
let run: ReturnType<typeof runMicroau>

beforeAll(async () => {
  const first = path.join(folder, 'P01', 'day1', 'task.mp4')
  await writeLongRecording({
    ...{ seed: 41, seconds: 10, fps: 50, width: 320, height: 240 },
    ...{ micro: 3, macro: 1, blinks: 1 },
    out: first,
  })
  // The ground truth written beside it is no video; keep the folder to the recordings.
  fs.rmSync(first.replace(/\.mp4$/, '.truth.json'))
  fs.mkdirSync(path.join(folder, 'P01', 'day2'))
  fs.copyFileSync(first, path.join(folder, 'P01', 'day2', 'task.mp4'))
  await saveTinyModel(modelDir, ['1', '4', '12'])
  // A spill a killed batch worker left beside the library: its owner's process is gone.
  const gone = spawnSync(process.execPath, ['-e', '']).pid!
  stale = path.join(dir, `microau-spill-${gone}-Ab12Cd`)
  fs.mkdirSync(stale, { recursive: true })
  fs.writeFileSync(path.join(stale, 'crops.bin'), Buffer.alloc(4096))
  const args = ['batch', '--in', folder, '--model', modelDir, '--db', library, '--out', out]
  run = runMicroau([...args, '--json'], {}, 280_000)
}, 300_000)
afterAll(() => cleanup())

function spottedClipNames(): string[] {
  const db = new Database(library, { readonly: true })
  try {
    return db
      .prepare('SELECT name FROM clips WHERE recording_id IS NOT NULL ORDER BY id')
      .pluck()
      .all() as string[]
  } finally {
    db.close()
  }
}

describe('microau batch on two videos of one name in a participant’s session folders', () => {
  it('stores both recordings’ events, named by the path inside the participant’s folder', () => {
    expect(run.stderr).not.toMatch(/Error/)
    expect(run.code).toBe(0)
    const names = spottedClipNames()
    const day1 = names.filter((n) => n.startsWith('day1/task.mp4@'))
    const day2 = names.filter((n) => n.startsWith('day2/task.mp4@'))
    expect(day1.length).toBeGreaterThan(0)
    expect(day1.length + day2.length).toBe(names.length)
    // The same recording twice: the same intervals, which the file's name alone made clash.
    expect(day2.map((n) => n.replace('day2/', ''))).toEqual(day1.map((n) => n.replace('day1/', '')))
  })

  it('gives back the disk of a spill a killed batch left beside the library', () => {
    expect(run.code).toBe(0)
    expect(fs.existsSync(stale)).toBe(false)
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('microau-spill-'))).toEqual([])
  })

  it('gives each video its rows, and counts two videos for the participant', () => {
    const { csv, participantsCsv } = JSON.parse(run.stdout) as {
      csv: string
      participantsCsv: string
    }
    const [, ...rows] = parseCsv(fs.readFileSync(csv, 'utf8'), csv)
    const videos = rows.map((r) => r[1])
    expect(new Set(videos)).toEqual(new Set(['day1/task.mp4', 'day2/task.mp4']))
    expect(videos.filter((v) => v === 'day1/task.mp4')).toHaveLength(rows.length / 2)
    const [header, ...counts] = parseCsv(fs.readFileSync(participantsCsv, 'utf8'), participantsCsv)
    expect(counts.map((c) => [c[0], c[header.indexOf('Videos')]])).toEqual([['P01', '2']])
  })
})
