import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeImage } from '../../../src/engine/media/image-io'
import { runMicroau } from '../../helpers/cli'
import { tempDir } from '../../helpers/temp'

/*
 * `microau magnify` and `microau apex` as a user runs them: on a frames folder of a small
 * synthetic CASME II release (64 px, with the real sheet's quirks: one apex is '/'), and on
 * a library that `microau import` filled.
 */

const { dir, cleanup } = tempDir()
const db = path.join(dir, 'lib.sqlite')
let clipDir: string
let frameNames: string[]

function query<T>(sql: string, ...params: unknown[]): T[] {
  const conn = new Database(db, { readonly: true })
  try {
    return conn.prepare(sql).all(...params) as T[]
  } finally {
    conn.close()
  }
}

beforeAll(() => {
  const synthDir = path.join(dir, 'synth')
  const synth = runMicroau(
    ['synth', '--out', synthDir, '--subjects', '1', '--clips', '2', '--seed', '5'].concat([
      '--size',
      '64',
      '--quirks',
    ]),
  )
  expect(synth.code, synth.stderr).toBe(0)
  const imported = runMicroau(
    [
      'import',
      '--db',
      db,
      '--format',
      'casme2',
      '--frames',
      path.join(synthDir, 'CASME2_RAW_selected'),
    ].concat([
      '--sheet',
      path.join(synthDir, 'CASME2-coding-synthetic.xlsx'),
      '--dataset',
      'Synth',
    ]),
  )
  expect(imported.code, imported.stderr).toBe(0)
  clipDir = path.join(synthDir, 'CASME2_RAW_selected', 'sub01', 'EP01_04')
  frameNames = fs.readdirSync(clipDir).filter((n) => /^img\d+\.jpg$/.test(n))
  expect(frameNames.length).toBeGreaterThan(20)
}, 120_000)
afterAll(() => cleanup())

const numberOf = (name: string) => Number(/(\d+)\.\w+$/.exec(name)![1])

describe('microau magnify --in --out', () => {
  it('writes one PNG per frame with the frame numbers of the input names; progress on stderr', async () => {
    const out = path.join(dir, 'magnified')
    const result = runMicroau(['magnify', '--in', clipDir, '--out', out, '--json'])
    expect(result.code, result.stderr).toBe(0)
    const summary = JSON.parse(result.stdout) as { frames: number; settings: { alpha: number } }
    expect(summary).toMatchObject({ frames: frameNames.length, settings: { alpha: 10 } })
    expect(result.stderr).toMatch(/magnify: \d+\/\d+ frames/)
    const written = fs.readdirSync(out).sort()
    expect(written).toEqual(frameNames.map((n) => n.replace(/\.jpg$/, '.png')).sort())

    // Frame 0 starts the filter and comes out as it went in; the rest are amplified.
    const sorted = [...frameNames].sort((a, b) => numberOf(a) - numberOf(b))
    const input = await decodeImage(path.join(clipDir, sorted[0]))
    const first = await decodeImage(path.join(out, sorted[0].replace('.jpg', '.png')))
    expect(Buffer.from(first.data).equals(Buffer.from(input.data))).toBe(true)
    const mid = sorted[Math.floor(sorted.length / 2)]
    const midIn = await decodeImage(path.join(clipDir, mid))
    const midOut = await decodeImage(path.join(out, mid.replace('.jpg', '.png')))
    expect(Buffer.from(midOut.data).equals(Buffer.from(midIn.data))).toBe(false)
  })

  it('takes the settings as options and reports them', async () => {
    const out = path.join(dir, 'options')
    const args = ['--alpha', '5', '--lambda-c', '20', '--r1', '0.5', '--r2', '0.1', '--chrom', '1']
    const result = runMicroau(['magnify', '--in', clipDir, '--out', out, ...args, '--json'])
    expect(result.code, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout).settings).toEqual({
      alpha: 5,
      lambdaC: 20,
      r1: 0.5,
      r2: 0.1,
      chromAttenuation: 1,
    })
    const name = frameNames.map((n) => n.replace('.jpg', '.png'))[frameNames.length >> 1]
    const standard = await decodeImage(path.join(dir, 'magnified', name))
    const other = await decodeImage(path.join(out, name))
    expect(Buffer.from(other.data).equals(Buffer.from(standard.data))).toBe(false)
  })

  it('refuses malformed options with the usage (exit 2)', () => {
    const out = path.join(dir, 'bad')
    for (const [args, says] of [
      [['--alpha', 'abc'], '--alpha must be a number'],
      [['--r1', '2'], '--r1'],
      [['--r1', '0.05', '--r2', '0.4'], '--r2 must be smaller than --r1'],
      [['--gamma', '1'], 'gamma'],
    ] as const) {
      const result = runMicroau(['magnify', '--in', clipDir, '--out', out, ...args])
      expect(result.code, result.stderr).toBe(2)
      expect(result.stderr).toContain(says)
      expect(result.stderr).toContain('usage: microau magnify')
    }
    const noOut = runMicroau(['magnify', '--in', clipDir])
    expect(noOut.code).toBe(2)
    expect(noOut.stderr).toContain('--out is required')
    expect(fs.existsSync(out)).toBe(false)
  })

  it('names the file of an unreadable frame, and the folder when it is missing (exit 1)', () => {
    const broken = path.join(dir, 'broken')
    fs.cpSync(clipDir, broken, { recursive: true })
    const victim = path.join(broken, frameNames[3])
    fs.writeFileSync(victim, 'not a jpeg at all')
    const result = runMicroau(['magnify', '--in', broken, '--out', path.join(dir, 'broken-out')])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(victim)
    const apex = runMicroau(['apex', '--in', broken, '--json'])
    expect(apex.code).toBe(1)
    expect(apex.stderr).toContain(victim)
    expect(apex.stdout).toBe('')

    const missing = path.join(dir, 'nowhere')
    const none = runMicroau(['magnify', '--in', missing, '--out', path.join(dir, 'x')])
    expect(none.code).toBe(1)
    expect(none.stderr).toContain(missing)
    const same = runMicroau(['magnify', '--in', clipDir, '--out', clipDir])
    expect(same.code).toBe(1)
    expect(same.stderr).toContain('is the input folder')
  })
})

describe('microau apex --in', () => {
  it('prints the apex index, its frame number and the score of every frame as JSON', () => {
    const result = runMicroau(['apex', '--in', clipDir, '--json'])
    expect(result.code, result.stderr).toBe(0)
    const out = JSON.parse(result.stdout) as {
      apexIndex: number
      apexFrame: number
      scores: number[]
    }
    expect(Object.keys(out)).toEqual(['apexIndex', 'apexFrame', 'scores'])
    const numbers = frameNames.map(numberOf).sort((a, b) => a - b)
    expect(out.scores).toHaveLength(numbers.length)
    expect(out.apexFrame).toBe(numbers[out.apexIndex])
    expect(Math.max(...out.scores)).toBe(out.scores[out.apexIndex])
  })
})

describe('microau magnify and apex on a library', () => {
  it('magnifies a clip into the library cache once, then finds it cached', () => {
    const [clip] = query<{ id: number; frames: number }>(
      "SELECT c.id, c.frame_count AS frames FROM clips c WHERE c.name = 'EP01_04'",
    )
    const first = runMicroau(['magnify', '--db', db, '--clip', String(clip.id), '--json'])
    expect(first.code, first.stderr).toBe(0)
    expect(JSON.parse(first.stdout).clips).toEqual([
      expect.objectContaining({ clipId: clip.id, frames: clip.frames, cached: false }),
    ])
    expect(first.stderr).toContain('magnify: job')
    const rows = query('SELECT * FROM magnified_frames WHERE clip_id = ? ORDER BY number', clip.id)
    expect(rows).toHaveLength(clip.frames)
    const second = runMicroau(['magnify', '--db', db, '--clip', String(clip.id), '--json'])
    expect(second.code, second.stderr).toBe(0)
    expect(JSON.parse(second.stdout).clips[0].cached).toBe(true)
    expect(
      query('SELECT * FROM magnified_frames WHERE clip_id = ? ORDER BY number', clip.id),
    ).toEqual(rows)

    const unknown = runMicroau(['magnify', '--db', db, '--clip', '999'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('no clip with id 999')
    const neither = runMicroau(['magnify', '--db', db])
    expect(neither.code).toBe(2)
  })

  it("fills the apex the sheet left out ('/') as an estimated value, audited as apex-spotting", () => {
    const missing = query<{ clipId: number; onset: number; offset: number }>(
      'SELECT clip_id AS clipId, onset, offset FROM markers WHERE apex IS NULL',
    )
    expect(missing).toHaveLength(1)
    const result = runMicroau(['apex', '--db', db, '--fill-missing', '--json'])
    expect(result.code, result.stderr).toBe(0)
    const [report] = JSON.parse(result.stdout) as { filled: { clipId: number; apex: number }[] }[]
    expect(report.filled).toHaveLength(1)
    const [row] = query<{ apex: number; estimated: number }>(
      'SELECT apex, apex_estimated AS estimated FROM markers WHERE clip_id = ?',
      missing[0].clipId,
    )
    expect(row).toEqual({ apex: report.filled[0].apex, estimated: 1 })
    expect(row.apex).toBeGreaterThanOrEqual(missing[0].onset)
    expect(row.apex).toBeLessThanOrEqual(missing[0].offset)
    const [audit] = query<{ source: string }>(
      'SELECT source FROM audit WHERE clip_id = ? ORDER BY id DESC LIMIT 1',
      missing[0].clipId,
    )
    expect(audit.source).toBe('apex-spotting')

    const again = runMicroau(['apex', '--db', db, '--fill-missing', '--json'])
    expect(again.code, again.stderr).toBe(0)
    expect(JSON.parse(again.stdout)[0].filled).toEqual([])
    const bad = runMicroau(['apex', '--db', db, '--fill-missing', '--dataset', 'Nope'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('no dataset named "Nope"')
  })
})
