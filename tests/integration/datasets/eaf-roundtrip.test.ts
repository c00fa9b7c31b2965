import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportEaf } from '../../../src/engine/datasets/eaf/eaf-export'
import { importEaf } from '../../../src/engine/datasets/eaf/eaf-import'
import { checkEaf } from '../../../src/engine/datasets/eaf/eaf-check'
import { parseXmlTree, type XmlElement } from '../../../src/engine/datasets/eaf/xml-tree'
import { importCasme2 } from '../../../src/engine/datasets/import/casme2'
import { importPlainCsv } from '../../../src/engine/datasets/import/plain-csv'
import { writeImport } from '../../../src/engine/datasets/import/write-import'
import {
  generateSyntheticDataset,
  type SyntheticDataset,
} from '../../../src/engine/datasets/synthetic/generate'
import { codesSnapshot, testLibrary, type TestLibrary } from './fixtures'

let lib: TestLibrary
let synthetic: SyntheticDataset

beforeAll(async () => {
  lib = testLibrary()
  synthetic = await generateSyntheticDataset({
    outDir: path.join(lib.dir, 'synthetic'),
    subjects: 2,
    clipsPerSubject: 3,
    seed: 14,
    format: 'casme2',
    size: 48,
    quirks: true,
  })
  await importCasme2(lib.db, {
    sheet: synthetic.sheetPath,
    framesRoot: synthetic.outDir,
    dataset: 'demo',
  })
  // A second coder, human, with sides, intensities, an estimated apex and a clip without apex.
  const clips = lib.db.prepare('SELECT id, first_frame FROM clips ORDER BY id').all() as {
    id: number
    first_frame: number
  }[]
  const ann = Number(
    lib.db.prepare("INSERT INTO coders (name, kind) VALUES ('Ann', 'human')").run().lastInsertRowid,
  )
  const marker = lib.db.prepare(
    'INSERT INTO markers (clip_id, coder_id, onset, apex, offset, apex_estimated) VALUES (?, ?, ?, ?, ?, ?)',
  )
  const label = lib.db.prepare(
    'INSERT INTO au_labels (clip_id, coder_id, au, side, intensity) VALUES (?, ?, ?, ?, ?)',
  )
  const f0 = clips[0].first_frame
  marker.run(clips[0].id, ann, f0 + 2, f0 + 9, f0 + 20, 1)
  label.run(clips[0].id, ann, 14, 'R', 'B')
  label.run(clips[0].id, ann, 12, 'L', 'C')
  label.run(clips[0].id, ann, 4, null, 'E')
  marker.run(clips[1].id, ann, clips[1].first_frame + 1, null, clips[1].first_frame + 1, 0)
  label.run(clips[1].id, ann, 12, 'L', null)
  // Labels without onset and offset have no place on ELAN's timeline.
  const bob = Number(
    lib.db.prepare("INSERT INTO coders (name) VALUES ('Bob')").run().lastInsertRowid,
  )
  label.run(clips[2].id, bob, 7, null, null)
})
afterAll(() => lib.cleanup())

describe('ELAN round trip', () => {
  it('gives back every marker and label of both coders in a new library', async () => {
    const out = path.join(lib.dir, 'elan')
    const result = exportEaf(lib.db, { dataset: 'demo', outDir: out })
    expect(result.files).toBe(6)
    expect(result.skipped).toEqual([
      { clip: expect.any(String), coder: 'Bob', reason: 'no onset or offset marked' },
    ])
    const again = testLibrary()
    try {
      const report = await importEaf(again.db, { source: out, dataset: 'demo' })
      expect(report.coders).toEqual(['Ann', 'CASME II sheet'])
      expect(report.flags.filter((f) => f.code === 'time_between_frames')).toEqual([])
      const expected = codesSnapshot(lib.db)
      expected.labels = expected.labels.filter((l) => (l as { coder: string }).coder !== 'Bob')
      expect(codesSnapshot(again.db)).toEqual(expected)
    } finally {
      again.cleanup()
    }
  })

  it('writes files that pass the EAF 3.0 check, with a tier per coder and the FACS string', () => {
    const out = path.join(lib.dir, 'elan-check')
    exportEaf(lib.db, { dataset: 'demo', outDir: out })
    const files = fs
      .readdirSync(out, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.eaf'))
    expect(files).toHaveLength(6)
    for (const file of files) {
      const root = parseXmlTree(fs.readFileSync(path.join(out, file), 'utf8')) as XmlElement
      expect(checkEaf(root)).toEqual([])
    }
    const first = fs.readFileSync(path.join(out, files.sort()[0]), 'utf8')
    expect(first).toContain('TIER_ID="Ann"')
    expect(first).toContain('<ANNOTATION_VALUE>4E+L12C+R14B</ANNOTATION_VALUE>')
    expect(first).toMatch(/RELATIVE_MEDIA_URL="\.\.\/\.\.\/synthetic\/[^"]+\/"/)
  })

  it('gives clips whose names meet as file names files of their own', () => {
    const other = testLibrary()
    try {
      const clip = (name: string) => ({
        subject: 's1',
        name,
        sourceKind: 'frames' as const,
        sourcePath: path.join(other.dir, 'frames'),
        fps: 30,
        width: 8,
        height: 8,
        frames: [{ number: 1, file: 'f1.jpg' }],
        emotion: null,
        codes: [],
      })
      const clips = ['x/y', 'x_y', 'X_Y'].map(clip)
      writeImport(other.db, { dataset: 'd', format: 'csv', source: 's', fps: 30, clips, flags: [] })
      const out = path.join(other.dir, 'elan')
      expect(exportEaf(other.db, { dataset: 'd', outDir: out }).files).toBe(3)
      expect(fs.readdirSync(path.join(out, 's1')).sort()).toEqual([
        // clips in name order: X_Y, x/y, x_y
        'X_Y.eaf',
        'x_y (2).eaf',
        'x_y (3).eaf',
      ])
    } finally {
      other.cleanup()
    }
  })

  it('links videos relatively: moved together with the .eaf files, they are still found', async () => {
    const videoLib = testLibrary()
    const moved = testLibrary()
    try {
      const original = path.join(videoLib.dir, 'study')
      const videos = await generateSyntheticDataset({
        outDir: original,
        subjects: 1,
        clipsPerSubject: 2,
        seed: 5,
        format: 'video',
        size: 32,
      })
      await importPlainCsv(videoLib.db, {
        sheet: videos.sheetPath,
        framesRoot: videos.framesRoot,
        dataset: 'videos',
      })
      exportEaf(videoLib.db, { dataset: 'videos', outDir: path.join(original, 'elan') })
      const first = videos.clips[0]
      const text = fs.readFileSync(
        path.join(original, 'elan', first.subject, `${first.name}.eaf`),
        'utf8',
      )
      expect(text).toContain('MIME_TYPE="video/x-matroska"')
      expect(text).toContain(`RELATIVE_MEDIA_URL="../../videos/${first.subject}/${first.name}.mkv"`)
      const elsewhere = path.join(moved.dir, 'copy')
      fs.cpSync(original, elsewhere, { recursive: true })
      fs.rmSync(original, { recursive: true })
      const report = await importEaf(moved.db, {
        source: path.join(elsewhere, 'elan'),
        dataset: 'videos',
      })
      expect(report.flags).toEqual([])
      const paths = moved.db.prepare('SELECT source_path FROM clips ORDER BY name').pluck().all()
      expect(paths).toEqual(videos.clips.map((c) => c.video!.replace(original, elsewhere)))
      const codes = (db: typeof moved.db) => {
        const { markers, labels } = codesSnapshot(db)
        return { markers, labels }
      }
      expect(codes(moved.db)).toEqual(codes(videoLib.db))
    } finally {
      videoLib.cleanup()
      moved.cleanup()
    }
  })
})
