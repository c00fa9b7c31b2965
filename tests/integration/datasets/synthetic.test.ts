import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importCasme2 } from '../../../src/engine/datasets/import/casme2'
import { readSheetFile } from '../../../src/engine/datasets/sheets/read-sheet'
import type { PixelBox } from '../../../src/engine/datasets/synthetic/au-motion'
import {
  generateSyntheticDataset,
  type SyntheticDataset,
} from '../../../src/engine/datasets/synthetic/generate'
import { decodeImage } from '../../../src/engine/media/image-io'
import { appError, testLibrary, type TestLibrary } from './fixtures'

let lib: TestLibrary
beforeAll(() => {
  lib = testLibrary()
})
afterAll(() => lib.cleanup())

/** Every file under a folder with its bytes, by relative path. */
function tree(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>()
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const file = path.join(entry.parentPath, entry.name)
    files.set(path.relative(root, file), fs.readFileSync(file))
  }
  return files
}

function generate(dir: string, seed: number, quirks = false): Promise<SyntheticDataset> {
  return generateSyntheticDataset({
    outDir: path.join(lib.dir, dir),
    subjects: 2,
    clipsPerSubject: 2,
    seed,
    format: 'casme2',
    size: 48,
    quirks,
  })
}

describe('generateSyntheticDataset: determinism', () => {
  it('gives the same bytes for the same seed and different frames for another', async () => {
    const a = await generate('a', 7)
    const b = await generate('b', 7)
    const c = await generate('c', 8)
    const framesA = tree(a.framesRoot)
    expect(framesA.size).toBe(a.clips.reduce((n, clip) => n + clip.frameCount, 0))
    expect(tree(b.framesRoot)).toEqual(framesA)
    expect((await readSheetFile(b.sheetPath)).rows).toEqual((await readSheetFile(a.sheetPath)).rows)
    expect({ ...b, outDir: '', sheetPath: '', framesRoot: '', clips: [] }).toEqual({
      ...a,
      outDir: '',
      sheetPath: '',
      framesRoot: '',
      clips: [],
    })
    expect(b.clips.map((clip) => ({ ...clip, folder: null }))).toEqual(
      a.clips.map((clip) => ({ ...clip, folder: null })),
    )
    const contents = (files: Map<string, Buffer>) =>
      new Set([...files.values()].map((b) => b.toString('base64')))
    const inA = contents(framesA)
    expect([...contents(tree(c.framesRoot))].filter((b) => inA.has(b))).toEqual([])
    expect(c.clips.map((clip) => clip.labels)).not.toEqual(a.clips.map((clip) => clip.labels))
  })

  it('refuses a folder that is not empty and nonsense options', async () => {
    const dir = path.join(lib.dir, 'full')
    fs.mkdirSync(dir)
    fs.writeFileSync(path.join(dir, 'x'), '')
    const error = await appError(() =>
      generateSyntheticDataset({
        outDir: dir,
        subjects: 1,
        clipsPerSubject: 1,
        seed: 1,
        format: 'casme2',
      }),
    )
    expect(error.code).toBe('conflict')
    const bad = await appError(() =>
      generateSyntheticDataset({
        outDir: path.join(lib.dir, 'bad'),
        subjects: 0,
        clipsPerSubject: 1,
        seed: 1,
        format: 'casme2',
      }),
    )
    expect(bad.code).toBe('invalid_input')
  })
})

describe('generateSyntheticDataset: the CASME II layout', () => {
  it('imports to exactly its ground truth, quirks reported', async () => {
    const synthetic = await generate('quirky', 11, true)
    const report = await importCasme2(lib.db, {
      sheet: synthetic.sheetPath,
      framesRoot: synthetic.outDir,
      dataset: 'quirky',
    })
    const labels = synthetic.clips.reduce((n, c) => n + c.labels.length, 0)
    expect(report).toMatchObject({
      clips: synthetic.clips.length,
      subjects: 2,
      labels,
      markers: synthetic.clips.length,
    })
    const codes = report.flags.map((f) => f.code)
    expect(codes.filter((c) => c === 'missing_apex')).toHaveLength(
      synthetic.clips.filter((c) => c.sheetApex === null).length,
    )
    expect(codes.filter((c) => c === 'duplicate_row')).toHaveLength(1)
    expect(
      report.flags
        .filter((f) => f.code === 'stray_file')
        .map((f) => f.file)
        .sort(),
    ).toEqual([...synthetic.strayFiles].sort())
    expect(codes.every((c) => ['missing_apex', 'duplicate_row', 'stray_file'].includes(c))).toBe(
      true,
    )
    const rows = lib.db
      .prepare(
        `SELECT s.code AS subject, c.name, c.first_frame, c.frame_count, c.emotion, m.onset, m.apex, m.offset
           FROM clips c JOIN subjects s ON s.id = c.subject_id JOIN markers m ON m.clip_id = c.id
           JOIN datasets d ON d.id = c.dataset_id WHERE d.name = 'quirky' ORDER BY s.code, c.name`,
      )
      .all()
    expect(rows).toEqual(
      synthetic.clips.map((c) => ({
        subject: c.subject,
        name: c.name,
        first_frame: c.firstFrame,
        frame_count: c.frameCount,
        emotion: c.emotion,
        onset: c.onset,
        apex: c.sheetApex,
        offset: c.offset,
      })),
    )
    expect(
      synthetic.clips.every(
        (c) => c.firstFrame !== 1 && fs.existsSync(path.join(c.folder!, `img${c.firstFrame}.jpg`)),
      ),
    ).toBe(true)
  })
})

describe('generateSyntheticDataset: the AUs move their regions around the apex', () => {
  let synthetic: SyntheticDataset
  beforeAll(async () => {
    synthetic = await generateSyntheticDataset({
      outDir: path.join(lib.dir, 'motion'),
      subjects: 6,
      clipsPerSubject: 6,
      seed: 3,
      format: 'casme2',
      size: 96,
    })
  })

  const decoded = new Map<string, Float64Array>()
  /** A frame's grey levels, decoded as the app decodes it. */
  async function grey(file: string): Promise<Float64Array> {
    const cached = decoded.get(file)
    if (cached) return cached
    const image = await decodeImage(file)
    const out = new Float64Array(image.width * image.height)
    for (let i = 0; i < out.length; i++) {
      out[i] =
        0.299 * image.data[i * 3] + 0.587 * image.data[i * 3 + 1] + 0.114 * image.data[i * 3 + 2]
    }
    decoded.set(file, out)
    return out
  }

  /** Mean absolute grey difference between two frames of a clip inside an AU's boxes. */
  async function regionDiff(
    folder: string,
    a: number,
    b: number,
    boxes: PixelBox[],
  ): Promise<number> {
    const fa = await grey(path.join(folder, `img${a}.jpg`))
    const fb = await grey(path.join(folder, `img${b}.jpg`))
    let sum = 0
    let count = 0
    for (const box of boxes) {
      for (let y = box.y0; y < box.y1; y++) {
        for (let x = box.x0; x < box.x1; x++) sum += Math.abs(fa[y * 96 + x] - fb[y * 96 + x])
      }
      count += (box.x1 - box.x0) * (box.y1 - box.y0)
    }
    return sum / count
  }

  const overlaps = (as: PixelBox[], bs: PixelBox[]) =>
    as.some((a) => bs.some((b) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1))

  it('changes an active AU’s region between onset and apex far more than when no AU acts there', async () => {
    for (const au of [1, 2, 4, 7, 12, 14, 15, 17] as const) {
      const active: number[] = []
      const quiet: number[] = []
      for (const clip of synthetic.clips) {
        const regions = synthetic.subjects[clip.subjectNumber - 1].regions
        const box = regions[au]
        expect(box.length, `AU${au} acts on both halves of the face`).toBe(2)
        const diff = await regionDiff(clip.folder!, clip.onset, clip.apex, box)
        if (clip.labels.some((l) => l.au === au)) active.push(diff)
        else if (!clip.labels.some((l) => overlaps(regions[l.au], box))) quiet.push(diff)
      }
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
      expect(active.length, `AU${au} active clips`).toBeGreaterThan(2)
      expect(quiet.length, `AU${au} quiet clips`).toBeGreaterThan(2)
      expect(
        mean(active),
        `AU${au}: active ${mean(active)} vs quiet ${mean(quiet)}`,
      ).toBeGreaterThan(1.5 * mean(quiet))
    }
  })

  it('peaks at the apex: the change from onset grows to the apex and is gone at the offset', async () => {
    let peaks = 0
    for (const clip of synthetic.clips) {
      const regions = synthetic.subjects[clip.subjectNumber - 1].regions
      const box = regions[clip.labels[0].au]
      const early = await regionDiff(clip.folder!, clip.onset, clip.onset + 1, box)
      const apex = await regionDiff(clip.folder!, clip.onset, clip.apex, box)
      const offset = await regionDiff(clip.folder!, clip.onset, clip.offset, box)
      if (apex > early && apex > offset) peaks++
    }
    expect(peaks / synthetic.clips.length).toBeGreaterThan(0.9)
  })
})
