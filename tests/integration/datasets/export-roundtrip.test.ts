import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportKeyFrames } from '../../../src/engine/datasets/export/key-frames'
import { exportCsv, exportXlsx } from '../../../src/engine/datasets/export/export-sheet'
import { datasetManifest, exportManifest } from '../../../src/engine/datasets/export/manifest'
import { importCasme2 } from '../../../src/engine/datasets/import/casme2'
import { importPlainCsv } from '../../../src/engine/datasets/import/plain-csv'
import {
  generateSyntheticDataset,
  type SyntheticDataset,
} from '../../../src/engine/datasets/synthetic/generate'
import { appError, codesSnapshot, testLibrary, type TestLibrary } from './fixtures'

let lib: TestLibrary
let synthetic: SyntheticDataset

beforeAll(async () => {
  lib = testLibrary()
  synthetic = await generateSyntheticDataset({
    outDir: path.join(lib.dir, 'synthetic'),
    subjects: 3,
    clipsPerSubject: 4,
    seed: 21,
    format: 'casme2',
    size: 48,
    quirks: true,
  })
  await importCasme2(lib.db, {
    sheet: synthetic.sheetPath,
    framesRoot: synthetic.outDir,
    dataset: 'demo',
  })
  // a second, human coder with intensities, an estimated apex and a clip left without apex
  const clips = lib.db.prepare('SELECT id, first_frame FROM clips ORDER BY id').all() as {
    id: number
    first_frame: number
  }[]
  const ann = Number(
    lib.db.prepare("INSERT INTO coders (name, kind) VALUES ('Ann, \"the\" coder', 'human')").run()
      .lastInsertRowid,
  )
  const marker = lib.db.prepare(
    'INSERT INTO markers (clip_id, coder_id, onset, apex, offset, apex_estimated) VALUES (?, ?, ?, ?, ?, ?)',
  )
  const label = lib.db.prepare(
    'INSERT INTO au_labels (clip_id, coder_id, au, side, intensity) VALUES (?, ?, ?, ?, ?)',
  )
  marker.run(
    clips[0].id,
    ann,
    clips[0].first_frame + 2,
    clips[0].first_frame + 9,
    clips[0].first_frame + 20,
    1,
  )
  label.run(clips[0].id, ann, 14, 'R', 'B')
  label.run(clips[0].id, ann, 4, null, 'E')
  marker.run(clips[1].id, ann, clips[1].first_frame + 1, null, clips[1].first_frame + 15, 0)
  label.run(clips[1].id, ann, 12, 'L', null)
  // codes without onset cannot become a sheet row
  const bob = Number(
    lib.db.prepare("INSERT INTO coders (name) VALUES ('Bob')").run().lastInsertRowid,
  )
  label.run(clips[2].id, bob, 7, null, null)
})
afterAll(() => lib.cleanup())

describe('export then import', () => {
  it('gives identical markers and labels through CSV', async () => {
    const out = path.join(lib.dir, 'out', 'demo.csv')
    const result = exportCsv(lib.db, { dataset: 'demo', out })
    expect(result).toEqual({
      file: out,
      rows: 14,
      skipped: [{ clip: expect.any(String), coder: 'Bob', reason: 'no onset or offset marked' }],
    })
    const again = testLibrary()
    try {
      await importPlainCsv(again.db, {
        sheet: out,
        framesRoot: synthetic.framesRoot,
        dataset: 'demo',
      })
      const expected = codesSnapshot(lib.db)
      expected.labels = expected.labels.filter((l) => (l as { coder: string }).coder !== 'Bob')
      expect(codesSnapshot(again.db)).toEqual(expected)
    } finally {
      again.cleanup()
    }
  })

  it('gives identical markers and labels through XLSX', async () => {
    const out = path.join(lib.dir, 'out', 'demo.xlsx')
    expect((await exportXlsx(lib.db, { dataset: 'demo', out })).rows).toBe(14)
    const again = testLibrary()
    try {
      await importPlainCsv(again.db, {
        sheet: out,
        framesRoot: synthetic.framesRoot,
        dataset: 'demo',
      })
      const expected = codesSnapshot(lib.db)
      expected.labels = expected.labels.filter((l) => (l as { coder: string }).coder !== 'Bob')
      expect(codesSnapshot(again.db)).toEqual(expected)
    } finally {
      again.cleanup()
    }
  })

  it("writes the CASME II columns, '/' for a missing apex, one row per clip and coder", () => {
    const out = path.join(lib.dir, 'out', 'ann.csv')
    exportCsv(lib.db, { dataset: 'demo', out, coder: 'Ann, "the" coder' })
    const lines = fs.readFileSync(out, 'utf8').split('\r\n')
    expect(lines[0]).toBe(
      'Subject,Filename,,OnsetFrame,ApexFrame,OffsetFrame,,Action Units,Estimated Emotion,Coder,Coder Kind,Apex Estimated',
    )
    expect(lines).toHaveLength(4)
    expect(lines[1]).toMatch(
      /^sub01,EP\d\d_\d\d,,\d+,\d+,\d+,,4E\+R14B,\w+,"Ann, ""the"" coder",human,1$/,
    )
    expect(lines[2]).toMatch(
      /^sub01,EP\d\d_\d\d,,\d+,\/,\d+,,L12,\w+,"Ann, ""the"" coder",human,0$/,
    )
  })

  it('refuses an unknown dataset or coder', async () => {
    expect(() => exportCsv(lib.db, { dataset: 'nope', out: path.join(lib.dir, 'x.csv') })).toThrow(
      "No dataset named 'nope'",
    )
    expect(
      (
        await appError(() =>
          exportXlsx(lib.db, { dataset: 'demo', out: path.join(lib.dir, 'x.xlsx'), coder: 'Zed' }),
        )
      ).code,
    ).toBe('not_found')
  })
})

describe('exportManifest', () => {
  it('lists subjects, clips with their sources and every coder’s codes', () => {
    const file = exportManifest(lib.db, {
      dataset: 'demo',
      out: path.join(lib.dir, 'out', 'manifest.json'),
    })
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8'))
    expect(manifest).toEqual(datasetManifest(lib.db, 'demo'))
    expect(manifest).toMatchObject({
      format: 'microau-dataset-manifest',
      version: 1,
      dataset: 'demo',
    })
    expect(manifest.subjects.map((s: { code: string }) => s.code)).toEqual([
      'sub01',
      'sub02',
      'sub03',
    ])
    const clip = manifest.subjects[0].clips.find((c: { codes: unknown[] }) => c.codes.length === 2)
    const truth = synthetic.clips.find((c) => c.name === clip.name && c.subject === 'sub01')!
    expect(clip).toMatchObject({
      sourceKind: 'frames',
      sourcePath: truth.folder,
      fps: 200,
      firstFrame: truth.firstFrame,
      frameCount: truth.frameCount,
      width: 48,
      height: 48,
    })
    expect(clip.codes[1]).toMatchObject({
      coder: 'CASME II sheet',
      coderKind: 'import',
      onset: truth.onset,
      offset: truth.offset,
    })
  })
})

describe('exportKeyFrames', () => {
  it('writes onset, apex and close-to-apex frames per subject and clip', async () => {
    const outDir = path.join(lib.dir, 'out', 'keyframes')
    const result = await exportKeyFrames(lib.db, {
      dataset: 'demo',
      outDir,
      coder: 'CASME II sheet',
    })
    const withApex = synthetic.clips.filter((c) => c.sheetApex !== null)
    expect(result.clips).toBe(withApex.length)
    expect(result.skipped.map((s) => s.clip).sort()).toEqual(
      synthetic.clips.filter((c) => c.sheetApex === null).map((c) => `${c.subject}/${c.name}`),
    )
    const clip = withApex[0]
    const files = fs.readdirSync(path.join(outDir, clip.subject, clip.name)).sort()
    const close = [-3, -2, -1, 1, 2, 3]
      .map((k) => clip.apex + k)
      .filter((n) => n >= clip.onset && n <= clip.offset)
    expect(files).toEqual(
      [
        `onset_${clip.onset}.jpg`,
        `apex_${clip.apex}.jpg`,
        ...close.map((n) => `close_${n}.jpg`),
      ].sort(),
    )
    expect(
      fs.readFileSync(path.join(outDir, clip.subject, clip.name, `apex_${clip.apex}.jpg`)),
    ).toEqual(fs.readFileSync(path.join(clip.folder!, `img${clip.apex}.jpg`)))
  })

  it('takes frames from the source it is given (magnified frames later)', async () => {
    const outDir = path.join(lib.dir, 'out', 'magnified')
    const result = await exportKeyFrames(lib.db, {
      dataset: 'demo',
      outDir,
      coder: 'CASME II sheet',
      closeRadius: 0,
      frameSource: async (clip, frame) => ({
        bytes: Buffer.from(`${clip.name}:${frame}`),
        ext: '.png',
      }),
    })
    const clip = synthetic.clips.find((c) => c.sheetApex !== null)!
    expect(result.files).toBe(result.clips * 2)
    expect(
      fs.readFileSync(path.join(outDir, clip.subject, clip.name, `apex_${clip.apex}.png`), 'utf8'),
    ).toBe(`${clip.name}:${clip.apex}`)
  })

  it('asks which coder when several marked the dataset', async () => {
    const error = await appError(() =>
      exportKeyFrames(lib.db, { dataset: 'demo', outDir: path.join(lib.dir, 'k') }),
    )
    expect(error.message).toBe(
      `Dataset 'demo' has markers from 'Ann, "the" coder', 'CASME II sheet': choose a coder`,
    )
  })
})
