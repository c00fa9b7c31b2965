import path from 'node:path'
import { importCasme2 } from '../../src/engine/datasets/import/casme2'
import {
  generateSyntheticDataset,
  type SyntheticDataset,
} from '../../src/engine/datasets/synthetic/generate'
import { openLibrary } from '../../src/engine/db/open-library'

/** The dataset name the synthetic CASME II release goes in as. */
export const SYNTHETIC_DATASET = 'Synthetic CASME II'

/** A library file holding one synthetic release, and the dataset it went in as. */
export interface SyntheticLibrary {
  library: string
  dataset: SyntheticDataset
  datasetId: number
}

/**
 * A library holding a small synthetic CASME II release, built the way a user would: the
 * generator writes the release (frames + coding sheet, `size` pixels square, the generator's
 * default unless given) and the CASME II importer reads it.
 */
export async function buildSyntheticLibrary(
  dir: string,
  options: { subjects: number; clipsPerSubject: number; seed: number; size?: number },
): Promise<SyntheticLibrary> {
  const dataset = await generateSyntheticDataset({
    outDir: path.join(dir, 'release'),
    format: 'casme2',
    ...options,
  })
  const library = path.join(dir, 'library.sqlite')
  const db = openLibrary(library)
  try {
    const { datasetId } = await importCasme2(db, {
      sheet: dataset.sheetPath,
      framesRoot: dataset.framesRoot,
      dataset: SYNTHETIC_DATASET,
    })
    return { library, dataset, datasetId }
  } finally {
    db.close()
  }
}
