import path from 'node:path'
import {
  generateSyntheticDataset,
  type SyntheticDataset,
} from '../../../src/engine/datasets/synthetic/generate'
import { importDataset } from '../../../src/engine/datasets/import/import-dataset'
import { openLibrary } from '../../../src/engine/db/open-library'

/** A library with one small synthetic CASME II-style dataset imported. */
export interface SyntheticLibrary {
  file: string
  frameCacheDir: string
  datasetId: number
  dataset: SyntheticDataset
}

/** Generates `subjects` × `clips` synthetic clips of `size` px in `dir` and imports them. */
export async function syntheticLibrary(
  dir: string,
  options: { subjects: number; clips: number; size?: number; seed?: number; quirks?: boolean },
): Promise<SyntheticLibrary> {
  const dataset = await generateSyntheticDataset({
    outDir: path.join(dir, 'synthetic'),
    subjects: options.subjects,
    clipsPerSubject: options.clips,
    seed: options.seed ?? 11,
    format: 'casme2',
    size: options.size ?? 48,
    quirks: options.quirks,
  })
  const file = path.join(dir, 'library.sqlite')
  const db = openLibrary(file)
  try {
    const report = await importDataset(db, {
      format: 'casme2',
      sheet: dataset.sheetPath,
      frames: dataset.framesRoot,
      dataset: 'synthetic',
    })
    return { file, frameCacheDir: `${file}.frames`, datasetId: report.datasetId, dataset }
  } finally {
    db.close()
  }
}
