import path from 'node:path'
import { importCasme2 } from '../../src/engine/datasets/import/casme2'
import {
  generateSyntheticDataset,
  type SyntheticDataset,
} from '../../src/engine/datasets/synthetic/generate'
import { openLibrary } from '../../src/engine/db/open-library'

/** The dataset name the synthetic CASME II release goes in as. */
export const SYNTHETIC_DATASET = 'Synthetic CASME II'

/**
 * A library holding a small synthetic CASME II release, built the way a user would: the
 * generator writes the release (frames + coding sheet) and the CASME II importer reads it.
 */
export async function buildSyntheticLibrary(
  dir: string,
  options: { subjects: number; clipsPerSubject: number; seed: number },
): Promise<{ library: string; dataset: SyntheticDataset }> {
  const dataset = await generateSyntheticDataset({
    outDir: path.join(dir, 'release'),
    format: 'casme2',
    ...options,
  })
  const library = path.join(dir, 'library.sqlite')
  const db = openLibrary(library)
  try {
    await importCasme2(db, {
      sheet: dataset.sheetPath,
      framesRoot: dataset.framesRoot,
      dataset: SYNTHETIC_DATASET,
    })
  } finally {
    db.close()
  }
  return { library, dataset }
}
