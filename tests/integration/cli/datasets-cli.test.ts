import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runMicroau } from '../../helpers/cli'
import { hashLibrary, tempDir } from '../../helpers/temp'

const { dir, cleanup } = tempDir()
const db = path.join(dir, 'lib.sqlite')
const synthDir = path.join(dir, 'synth')
let sheet: string

beforeAll(() => {
  const synth = runMicroau([
    'synth',
    '--out',
    synthDir,
    '--subjects',
    '3',
    '--clips',
    '2',
    '--seed',
    '11',
    '--quirks',
    '--json',
  ])
  expect(synth.code, synth.stderr).toBe(0)
  const summary = JSON.parse(synth.stdout) as { sheet: string; clips: number; subjects: number }
  expect(summary).toMatchObject({ clips: 6, subjects: 3 })
  sheet = summary.sheet
})
afterAll(() => cleanup())

describe('microau synth → import → clips → export', () => {
  it('imports the synthetic CASME II layout with a JSON report of every flag', () => {
    const result = runMicroau([
      'import',
      '--db',
      db,
      '--format',
      'casme2',
      '--sheet',
      sheet,
      '--frames',
      path.join(synthDir, 'CASME2_RAW_selected'),
      '--dataset',
      'Synthetic',
      '--json',
    ])
    expect(result.code, result.stderr).toBe(0)
    const report = JSON.parse(result.stdout) as {
      clips: number
      subjects: number
      flags: { code: string }[]
    }
    expect(report.clips).toBe(6)
    expect(report.subjects).toBe(3)
    const codes = new Set(report.flags.map((f) => f.code))
    for (const quirk of ['missing_apex', 'duplicate_row', 'stray_file'])
      expect(codes).toContain(quirk)
    expect(result.stderr).toContain('import:')
  })

  it('lists the clips as JSON and exports them; the CSV imports back with the same codes', () => {
    const clips = JSON.parse(runMicroau(['clips', '--db', db, '--json']).stdout) as unknown[]
    expect(clips).toHaveLength(6)
    const csv = path.join(dir, 'out', 'synthetic.csv')
    const exported = runMicroau(['export', '--db', db, '--format', 'csv', '--out', csv, '--json'])
    expect(exported.code, exported.stderr).toBe(0)
    expect(JSON.parse(exported.stdout)).toMatchObject({ format: 'csv', count: 6 })
    const again = runMicroau([
      'import',
      '--db',
      db,
      '--format',
      'csv',
      '--sheet',
      csv,
      '--frames',
      path.join(synthDir, 'CASME2_RAW_selected'),
      '--dataset',
      'Round trip',
      '--json',
    ])
    expect(again.code, again.stderr).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({ clips: 6 })
    const a = fs
      .readFileSync(csv, 'utf8')
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').slice(0, 9).join(','))
    const csv2 = path.join(dir, 'out', 'round-trip.csv')
    expect(
      runMicroau([
        'export',
        '--db',
        db,
        '--dataset',
        'Round trip',
        '--format',
        'csv',
        '--out',
        csv2,
      ]).code,
    ).toBe(0)
    const b = fs
      .readFileSync(csv2, 'utf8')
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').slice(0, 9).join(','))
    expect(b).toEqual(a)
  })

  it('fails with exit 2 on a bad format and exit 1 with the file, row and column on a malformed sheet, writing nothing', () => {
    expect(runMicroau(['import', '--db', db, '--format', 'nope', '--frames', dir]).code).toBe(2)
    const bad = path.join(dir, 'bad.csv')
    fs.writeFileSync(
      bad,
      'Subject,Filename,OnsetFrame,ApexFrame,OffsetFrame,Action Units,Estimated Emotion\nsub01,EP01_02,12x,20,30,4,others\n',
    )
    const before = hashLibrary(db)
    const result = runMicroau([
      'import',
      '--db',
      db,
      '--format',
      'csv',
      '--sheet',
      bad,
      '--frames',
      path.join(synthDir, 'CASME2_RAW_selected'),
      '--dataset',
      'Bad',
    ])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('bad.csv')
    expect(result.stderr).toMatch(/row 2/)
    expect(result.stderr).toContain('OnsetFrame')
    expect(hashLibrary(db)).toBe(before)
  })
})

describe('microau export/import --format eaf, export --format boris', () => {
  it('writes one .eaf per clip, reads them into a new library with a tier mapping, and writes the BORIS table', () => {
    const out = path.join(dir, 'elan')
    const exported = runMicroau([
      'export',
      '--db',
      db,
      '--dataset',
      'Synthetic',
      '--format',
      'eaf',
      '--out',
      out,
      '--json',
    ])
    expect(exported.code, exported.stderr).toBe(0)
    expect(JSON.parse(exported.stdout)).toMatchObject({ format: 'eaf', out, count: 6 })
    const again = path.join(dir, 'elan.sqlite')
    const imported = runMicroau([
      'import',
      '--db',
      again,
      '--format',
      'eaf',
      '--sheet',
      out,
      '--dataset',
      'From ELAN',
      '--tier',
      'CASME II sheet=Sheet coder',
      '--json',
    ])
    expect(imported.code, imported.stderr).toBe(0)
    const report = JSON.parse(imported.stdout) as {
      clips: number
      coders: string[]
      markers: number
    }
    expect(report).toMatchObject({ clips: 6, coders: ['Sheet coder'], markers: 6 })

    const boris = path.join(dir, 'boris.csv')
    const table = runMicroau([
      'export',
      '--db',
      db,
      '--dataset',
      'Synthetic',
      '--format',
      'boris',
      '--out',
      boris,
    ])
    expect(table.code, table.stderr).toBe(0)
    const lines = fs.readFileSync(boris, 'utf8').split('\r\n')
    expect(lines[0]).toBe(
      'Observation id,Observation date,Description,Media file,Total length,FPS,Subject,Behavior,Behavioral category,Modifiers,Behavior type,Start (s),Stop (s),Duration (s),Comment start,Comment stop',
    )
    expect(lines.some((l) => /,AU\d+,\w+,None\|None,STATE,\d+\.\d{3},/.test(l))).toBe(true)
    expect(lines.some((l) => /,apex,timing,,POINT,/.test(l))).toBe(true)
  })

  it('refuses a --tier without a coder', () => {
    const result = runMicroau([
      'import',
      '--db',
      path.join(dir, 'x.sqlite'),
      '--format',
      'eaf',
      '--sheet',
      dir,
      '--tier',
      'A=',
    ])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("--tier takes TIER=CODER, not 'A='")
  })
})
