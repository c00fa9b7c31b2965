import { describe, expect, it } from 'vitest'
import {
  buildExportRequest,
  retargetExportPath,
  suggestedExportPath,
} from '../../../src/renderer/src/transfer/export-form'
import { IMPORT_FORMATS } from '../../../src/renderer/src/transfer/formats'
import {
  buildImportRequest,
  defaultDatasetName,
  emptyImportForm,
  type ImportForm,
} from '../../../src/renderer/src/transfer/import-form'

const form = (change: Partial<ImportForm>): ImportForm => ({ ...emptyImportForm(), ...change })

describe('buildImportRequest', () => {
  it('builds a CASME II request with only the fields CASME II takes', () => {
    const result = buildImportRequest(
      form({
        format: 'casme2',
        sheet: ' /data/CASME2/CASME2-coding-20140508.xlsx ',
        frames: '/data/CASME2',
        dataset: ' CASME II ',
        fps: '200',
        coder: '',
        subject: 'ignored: CASME II has no subject field',
        videos: '/ignored.mp4',
        variant: 'cropped',
      }),
    )
    expect(result).toEqual({
      ok: true,
      request: {
        format: 'casme2',
        sheet: '/data/CASME2/CASME2-coding-20140508.xlsx',
        frames: '/data/CASME2',
        dataset: 'CASME II',
        fps: 200,
        variant: 'cropped',
      },
    })
  })

  it('says what to fix for each wrong field before anything is sent', () => {
    const result = buildImportRequest(
      form({ format: 'samm', sheet: 'codes.xlsx', frames: '', fps: 'fast' }),
    )
    expect(result).toEqual({
      ok: false,
      errors: {
        sheet: 'Give the full path of the coding sheet, starting at / or a drive letter.',
        frames: 'Choose the frames folder.',
        fps: 'The frame rate must be a number of frames per second above 0, like 200.',
      },
    })
    // A release is named after itself; a folder without a path gives no name to propose.
    expect(buildImportRequest(form({ format: 'folder', frames: '' }))).toMatchObject({
      ok: false,
      errors: { dataset: 'Name the dataset the clips go into.' },
    })
    expect(buildImportRequest(form({ sheet: '/a/codes.xls', frames: '/a' }))).toMatchObject({
      ok: false,
      errors: { sheet: expect.stringContaining('.xlsx or .csv') },
    })
    expect(buildImportRequest(form({ format: 'folder', frames: '/a/b', fps: '-3' }))).toMatchObject(
      { ok: false, errors: { fps: expect.stringContaining('above 0') } },
    )
  })

  it('names the dataset after the release, or the folder or video, when the name is left empty', () => {
    const casme = form({ sheet: '/d/s.csv', frames: '/d/CASME2_RAW_selected/' })
    expect(defaultDatasetName(casme)).toBe('CASME II')
    expect(buildImportRequest(casme)).toMatchObject({ ok: true, request: { dataset: 'CASME II' } })
    expect(defaultDatasetName({ ...casme, variant: 'cropped' })).toBe('CASME II (cropped)')
    expect(defaultDatasetName(form({ format: 'samm', frames: '/d/SAMM' }))).toBe('SAMM')
    expect(defaultDatasetName(form({ format: 'folder', frames: '/lab/session 3/' }))).toBe(
      'session 3',
    )
    expect(defaultDatasetName(form({ format: 'videos', videos: '\n C:\\clips\\a.mp4\n' }))).toBe(
      'a',
    )
  })

  it('sends videos as a list, one path per line, and refuses relative ones', () => {
    expect(
      buildImportRequest(
        form({
          format: 'videos',
          videos: '/v/a.mp4\r\n\n  /v/b.mkv  \n',
          dataset: 'Lab',
          subject: 'P01',
          fps: '30',
        }),
      ),
    ).toEqual({
      ok: true,
      request: {
        format: 'videos',
        frames: ['/v/a.mp4', '/v/b.mkv'],
        dataset: 'Lab',
        subject: 'P01',
      },
    })
    expect(buildImportRequest(form({ format: 'videos', dataset: 'Lab' }))).toEqual({
      ok: false,
      errors: { videos: 'Add at least one video file.' },
    })
    expect(
      buildImportRequest(form({ format: 'videos', dataset: 'Lab', videos: '/v/a.mp4\nb.mp4' })),
    ).toEqual({
      ok: false,
      errors: { videos: 'Give the full path of b.mp4, starting at / or a drive letter.' },
    })
  })

  it('lets the contract schema have the last word (names with control characters)', () => {
    expect(
      buildImportRequest(form({ format: 'folder', frames: 'D:\\clips\\c1', dataset: 'a\u0007b' })),
    ).toEqual({
      ok: false,
      errors: { dataset: 'The dataset name must not contain control characters.' },
    })
  })

  it('builds an ELAN request: the .eaf path as the sheet, media beside it unless given, a tier mapping', () => {
    expect(
      buildImportRequest(
        form({ format: 'eaf', elan: '/lab/elan/s01.eaf', tiers: 'Coder A = Ann\n\n A=B = Bob ' }),
      ),
    ).toEqual({
      ok: true,
      request: {
        format: 'eaf',
        sheet: '/lab/elan/s01.eaf',
        frames: '/lab/elan',
        dataset: 's01',
        tiers: { 'Coder A': 'Ann', 'A=B': 'Bob' },
      },
    })
    expect(
      buildImportRequest(form({ format: 'eaf', elan: '/lab/elan', frames: '/lab/videos' })),
    ).toMatchObject({ ok: true, request: { sheet: '/lab/elan', frames: '/lab/videos' } })
    expect(buildImportRequest(form({ format: 'eaf', elan: '', tiers: 'Coder A' }))).toEqual({
      ok: false,
      errors: {
        elan: 'Choose the ELAN file or folder.',
        dataset: 'Name the dataset the clips go into.',
        tiers: 'Write each line as Tier = Coder, not “Coder A”.',
      },
    })
  })

  it('describes every format in a sentence and asks for frames or videos in each', () => {
    for (const f of IMPORT_FORMATS) {
      expect(f.description.length).toBeGreaterThan(40)
      expect(f.fields.includes('frames') !== f.fields.includes('videos')).toBe(true)
    }
  })
})

describe('export form', () => {
  it('suggests a file named after the dataset beside the previous output, or in a folder', () => {
    expect(suggestedExportPath('xlsx', 'CASME II: pilot', '/out/old.csv', '/home/ann')).toBe(
      '/out/CASME II_ pilot.xlsx',
    )
    expect(suggestedExportPath('csv', 'Lab', '', '/home/ann')).toBe('/home/ann/Lab.csv')
    expect(suggestedExportPath('frames', 'Lab', '', 'C:\\Users\\ann')).toBe('C:\\Users\\ann\\Lab')
    expect(suggestedExportPath('json', 'Lab', '', null)).toBe('')
  })

  it('follows a format change with the extension', () => {
    expect(retargetExportPath('/out/Lab.csv', 'xlsx')).toBe('/out/Lab.xlsx')
    expect(retargetExportPath('/out/Lab.csv', 'frames')).toBe('/out/Lab')
    expect(retargetExportPath('/out/Lab', 'json')).toBe('/out/Lab.json')
    expect(retargetExportPath('', 'json')).toBe('')
    expect(retargetExportPath('/out/Lab.csv', 'eaf')).toBe('/out/Lab')
  })

  it('checks the output path against the format', () => {
    const base = { format: 'csv' as const, dataset: 'Lab', coder: '', out: '/out/Lab.csv' }
    expect(buildExportRequest(base)).toEqual({
      ok: true,
      request: { format: 'csv', dataset: 'Lab', out: '/out/Lab.csv' },
    })
    expect(buildExportRequest({ ...base, coder: 'Ann' })).toMatchObject({
      ok: true,
      request: { coder: 'Ann' },
    })
    expect(buildExportRequest({ ...base, out: '/out/Lab.xlsx' })).toEqual({
      ok: false,
      errors: { out: 'The file name must end in .csv.' },
    })
    expect(buildExportRequest({ ...base, dataset: '', out: 'Lab.csv' })).toEqual({
      ok: false,
      errors: {
        dataset: 'Choose the dataset to export.',
        out: 'Give the full path of the .csv file to write, starting at / or a drive letter.',
      },
    })
    expect(buildExportRequest({ ...base, format: 'frames', out: '' })).toEqual({
      ok: false,
      errors: { out: 'Choose the folder the key frames go into.' },
    })
    expect(buildExportRequest({ ...base, format: 'eaf', out: '' })).toEqual({
      ok: false,
      errors: { out: 'Choose the folder the .eaf files go into.' },
    })
    expect(buildExportRequest({ ...base, format: 'boris', out: '/out/Lab.csv' })).toEqual({
      ok: true,
      request: { format: 'boris', dataset: 'Lab', out: '/out/Lab.csv' },
    })
  })
})
