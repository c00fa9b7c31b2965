import path from 'node:path'
import {
  generateSyntheticDataset,
  type SyntheticDataset,
} from '../../../src/engine/datasets/synthetic/generate'
import { importDataset } from '../../../src/engine/datasets/import/import-dataset'
import { openLibrary, type LibraryDb } from '../../../src/engine/db/open-library'
import type { JobContext } from '../../../src/engine/jobs/job-kind'

/** A library with one small synthetic CASME II-style dataset imported. */
export interface SyntheticLibrary {
  file: string
  frameCacheDir: string
  datasetId: number
  dataset: SyntheticDataset
}

/** How many synthetic clips of which size, and the seed they are drawn from. */
export interface SyntheticOptions {
  subjects: number
  clips: number
  size?: number
  seed?: number
  quirks?: boolean
}

/**
 * Generates `subjects` × `clips` synthetic clips of `size` px in `<dir>/<name>` and imports
 * them into the library `file` as dataset `name` (subjects are sub01, sub02, … in every one).
 */
export async function addSyntheticDataset(
  file: string,
  dir: string,
  name: string,
  options: SyntheticOptions,
): Promise<{ datasetId: number; dataset: SyntheticDataset }> {
  const dataset = await generateSyntheticDataset({
    outDir: path.join(dir, name),
    subjects: options.subjects,
    clipsPerSubject: options.clips,
    seed: options.seed ?? 11,
    format: 'casme2',
    size: options.size ?? 48,
    quirks: options.quirks,
  })
  const db = openLibrary(file)
  try {
    const report = await importDataset(db, {
      format: 'casme2',
      sheet: dataset.sheetPath,
      frames: dataset.framesRoot,
      dataset: name,
    })
    return { datasetId: report.datasetId, dataset }
  } finally {
    db.close()
  }
}

/** Generates `subjects` × `clips` synthetic clips of `size` px in `dir` and imports them. */
export async function syntheticLibrary(
  dir: string,
  options: SyntheticOptions,
): Promise<SyntheticLibrary> {
  const file = path.join(dir, 'library.sqlite')
  const { datasetId, dataset } = await addSyntheticDataset(file, dir, 'synthetic', options)
  return { file, frameCacheDir: `${file}.frames`, datasetId, dataset }
}

/** A job context over a synthetic library, as the job worker gives one (fresh, never resumed). */
export function libraryJobContext(db: LibraryDb, lib: SyntheticLibrary): JobContext<unknown> {
  return {
    jobId: 0,
    db,
    libraryPath: lib.file,
    frameCacheDir: lib.frameCacheDir,
    signal: new AbortController().signal,
    resumeState: undefined,
    progress: () => undefined,
    saveState: () => undefined,
  }
}
