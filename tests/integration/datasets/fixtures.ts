import fs from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { openLibrary, type LibraryDb } from '../../../src/engine/db/open-library'
import { encodeJpegRgb } from '../../../src/engine/datasets/synthetic/jpeg-encoder'
import { AppError } from '../../../src/shared/errors'
import { hashLibrary, tempDir } from '../../helpers/temp'

/** A temporary folder with a fresh library in it. */
export interface TestLibrary {
  dir: string
  file: string
  db: LibraryDb
  /** Closes the library, hashes its files, reopens it. */
  hash(): string
  cleanup(): void
}

/** Opens a new library in a new temporary folder. */
export function testLibrary(): TestLibrary {
  const { dir, cleanup } = tempDir('microau-datasets-')
  const file = path.join(dir, 'library.sqlite')
  const library: TestLibrary = {
    dir,
    file,
    db: openLibrary(file),
    hash() {
      library.db.close()
      const digest = hashLibrary(file)
      library.db = openLibrary(file)
      return digest
    },
    cleanup() {
      if (library.db.open) library.db.close()
      cleanup()
    },
  }
  return library
}

/** Writes a small JPEG frame whose grey level depends on `shade`. */
export function writeFrame(file: string, shade = 100, width = 64, height = 48): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const data = new Uint8Array(width * height * 3)
  for (let i = 0; i < data.length; i++) data[i] = (shade + (i % 7) * 9) & 255
  fs.writeFileSync(file, encodeJpegRgb({ data, width, height }))
}

/** Writes frames `<prefix><n><suffix>` for each number into a folder. */
export function writeFrames(folder: string, name: (n: number) => string, numbers: number[]): void {
  for (const n of numbers) writeFrame(path.join(folder, name(n)), n)
}

/** Writes rows to the first worksheet of a new xlsx file. */
export async function writeXlsx(file: string, rows: (string | number | null)[][]): Promise<void> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('Sheet1')
  rows.forEach((row, i) => {
    const excelRow = sheet.getRow(i + 1)
    row.forEach((value, c) => {
      if (value !== null) excelRow.getCell(c + 1).value = value
    })
    excelRow.commit()
  })
  fs.mkdirSync(path.dirname(file), { recursive: true })
  await workbook.xlsx.writeFile(file)
}

/** The numbers from..to inclusive. */
export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i)
}

/** Runs an async function that must fail with an AppError, and returns the error. */
export async function appError(run: () => Promise<unknown>): Promise<AppError> {
  try {
    await run()
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('expected an AppError')
}

/** Every marker and label of a library, by subject/clip/coder, sorted: what a round trip must keep. */
export function codesSnapshot(db: LibraryDb) {
  const markers = db
    .prepare(
      `SELECT d.name AS dataset, s.code AS subject, c.name AS clip, k.name AS coder, k.kind,
              m.onset, m.apex, m.offset, m.apex_estimated
         FROM markers m JOIN clips c ON c.id = m.clip_id JOIN subjects s ON s.id = c.subject_id
         JOIN datasets d ON d.id = c.dataset_id JOIN coders k ON k.id = m.coder_id
        ORDER BY s.code, c.name, k.name`,
    )
    .all()
  const labels = db
    .prepare(
      `SELECT s.code AS subject, c.name AS clip, k.name AS coder, l.au, l.side, l.intensity
         FROM au_labels l JOIN clips c ON c.id = l.clip_id JOIN subjects s ON s.id = c.subject_id
         JOIN coders k ON k.id = l.coder_id
        ORDER BY s.code, c.name, k.name, l.au, ifnull(l.side, '')`,
    )
    .all()
  const clips = db
    .prepare(
      `SELECT s.code AS subject, c.name, c.source_kind, c.source_path, c.fps, c.frame_count, c.first_frame,
              c.width, c.height, c.emotion
         FROM clips c JOIN subjects s ON s.id = c.subject_id ORDER BY s.code, c.name`,
    )
    .all()
  return { markers, labels, clips }
}
