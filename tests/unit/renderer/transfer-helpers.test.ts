import { describe, expect, it } from 'vitest'
import type { Job } from '../../../src/shared/domain'
import { jobRecord } from '../../helpers/job'
import { countFlags, flagLabel, flagsCsv } from '../../../src/renderer/src/transfer/import-flags'
import {
  describeExport,
  exportOutcome,
  importOutcome,
} from '../../../src/renderer/src/transfer/job-results'
import {
  baseName,
  fileStem,
  isAbsolutePath,
  joinPath,
  parentOf,
  withExtension,
} from '../../../src/renderer/src/transfer/paths'

describe('flagsCsv', () => {
  it('writes RFC 4180: a header, CRLF, quotes doubled, empty fields for absent values', () => {
    const csv = flagsCsv([
      {
        code: 'unknown_au_token',
        message: 'AU token "R99" is not FACS, so it is not stored',
        file: '/data/CASME2, v2/sheet.xlsx',
        row: 9,
        column: 'Action Units',
        clip: 'sub02/EP02_03',
      },
      { code: 'stray_file', message: 'Thumbs.db is not a frame\nleft out', file: '/d/Thumbs.db' },
    ])
    expect(csv).toBe(
      'code,message,file,row,column,clip\r\n' +
        'unknown_au_token,"AU token ""R99"" is not FACS, so it is not stored","/data/CASME2, v2/sheet.xlsx",9,Action Units,sub02/EP02_03\r\n' +
        'stray_file,"Thumbs.db is not a frame\nleft out",/d/Thumbs.db,,,\r\n',
    )
    expect(flagsCsv([])).toBe('code,message,file,row,column,clip\r\n')
    expect(flagsCsv([{ code: 'x', message: 'a\rb', row: 0 }])).toBe(
      'code,message,file,row,column,clip\r\nx,"a\rb",,0,,\r\n',
    )
  })

  it('counts flags by code, most frequent first, and has words for every code', () => {
    const flags = ['b', 'a', 'b', 'c', 'a', 'b'].map((code) => ({ code, message: '' }))
    expect(countFlags(flags)).toEqual([
      { code: 'b', count: 3 },
      { code: 'a', count: 2 },
      { code: 'c', count: 1 },
    ])
    expect(flagLabel('missing_clip_folder')).toBe('No frames for this row')
    expect(flagLabel('something_new')).toBe('something_new')
  })
})

describe('paths', () => {
  it('splits and joins POSIX and Windows paths', () => {
    expect(isAbsolutePath('/a')).toBe(true)
    expect(isAbsolutePath('C:\\a')).toBe(true)
    expect(isAbsolutePath('\\\\server\\share')).toBe(true)
    expect(isAbsolutePath('a/b')).toBe(false)
    expect(baseName('/a/b/c.xlsx')).toBe('c.xlsx')
    expect(baseName('/a/b/')).toBe('b')
    expect(baseName('C:\\x\\y.csv')).toBe('y.csv')
    expect(parentOf('/a/b/c.xlsx')).toBe('/a/b')
    expect(parentOf('/a')).toBe('/')
    expect(parentOf('/')).toBeNull()
    expect(parentOf('C:\\x\\y.csv')).toBe('C:\\x')
    expect(parentOf('C:\\x')).toBe('C:\\')
    expect(parentOf('C:\\')).toBeNull()
    expect(joinPath('/', 'tmp')).toBe('/tmp')
    expect(joinPath('/a/', 'b')).toBe('/a/b')
    expect(joinPath('C:\\', 'x')).toBe('C:\\x')
    expect(joinPath('C:\\x', 'y.csv')).toBe('C:\\x\\y.csv')
  })

  it('makes file names from dataset names', () => {
    expect(withExtension('a.csv', 'xlsx')).toBe('a.xlsx')
    expect(withExtension('a', 'json')).toBe('a.json')
    expect(withExtension('a.json', null)).toBe('a')
    expect(fileStem('CAS(ME)³ a/b: "x"')).toBe('CAS(ME)³ a_b_ _x_')
    expect(fileStem(' .. ')).toBe('export')
  })
})

describe('job results', () => {
  const job = (status: Job['status'], result: unknown) =>
    jobRecord('datasets.import', status, result)

  it('reads the import report of a succeeded job only', () => {
    const report = {
      importId: 3,
      datasetId: 2,
      dataset: 'CASME II',
      format: 'casme2',
      source: '/d/s.xlsx',
      fps: 200,
      clips: 4,
      subjects: 2,
      frames: 100,
      markers: 4,
      labels: 6,
      coders: ['CASME II sheet'],
      flags: [{ code: 'missing_apex', message: 'm', file: '/d/s.xlsx', row: 3 }],
    }
    expect(importOutcome(job('succeeded', report))).toEqual({
      datasetId: 2,
      dataset: 'CASME II',
      format: 'casme2',
      source: '/d/s.xlsx',
      clips: 4,
      subjects: 2,
      labels: 6,
      flags: report.flags,
    })
    expect(importOutcome(job('failed', report))).toBeNull()
    expect(importOutcome(job('succeeded', { flags: 'none' }))).toBeNull()
    expect(importOutcome(null)).toBeNull()
  })

  it('reads and describes what an export wrote', () => {
    const sheet = exportOutcome(
      job('succeeded', { format: 'csv', out: '/o/a.csv', count: 1, skipped: [] }),
    )
    expect(sheet && describeExport(sheet)).toBe('Wrote 1 row to /o/a.csv.')
    const frames = exportOutcome(job('succeeded', { format: 'frames', out: '/o/k', count: 12 }))
    expect(frames && describeExport(frames)).toBe('Wrote 12 key frames under /o/k.')
    expect(exportOutcome(job('running', { out: '/o' }))).toBeNull()
  })
})
