import path from 'node:path'
import { importCasme2 } from '../../src/engine/datasets/import/casme2'
import {
  generateSyntheticDataset,
  type SyntheticDataset,
} from '../../src/engine/datasets/synthetic/generate'
import { openLibrary } from '../../src/engine/db/open-library'
import { runMicroau } from '../helpers/cli'

/** The dataset name the synthetic release goes in as. */
export const TRAINED_DATASET = 'Synthetic CASME II'

/** A library with a small synthetic dataset and a tiny model trained on it. */
export interface TrainedLibrary {
  library: string
  dataset: SyntheticDataset
  datasetId: number
  modelId: number
  /** The model's folder. */
  modelDir: string
}

/**
 * Builds a library the way a user would (generator → CASME II importer) and trains the
 * smallest model on it through `microau train` (tiny preset, 2 folds, 1 epoch, AUs with at
 * least 2 positive clips, wasm backend): small frames keep magnification and training short.
 */
export async function buildTrainedLibrary(
  dir: string,
  options: { subjects: number; clipsPerSubject: number; seed: number; size?: number },
): Promise<TrainedLibrary> {
  const dataset = await generateSyntheticDataset({
    outDir: path.join(dir, 'release'),
    format: 'casme2',
    subjects: options.subjects,
    clipsPerSubject: options.clipsPerSubject,
    seed: options.seed,
    size: options.size ?? 64,
  })
  const library = path.join(dir, 'library.sqlite')
  const db = openLibrary(library)
  let datasetId: number
  try {
    datasetId = (
      await importCasme2(db, {
        sheet: dataset.sheetPath,
        framesRoot: dataset.framesRoot,
        dataset: TRAINED_DATASET,
      })
    ).datasetId
  } finally {
    db.close()
  }
  const modelDir = path.join(dir, 'model')
  const trained = runMicroau([
    'train',
    '--db',
    library,
    '--preset',
    'tiny',
    '--variant',
    'iicl',
    '--folds',
    '2',
    '--epochs',
    '1',
    '--seed',
    String(options.seed),
    '--min-positives',
    '2',
    '--backend',
    'wasm',
    '--out',
    modelDir,
    '--json',
  ])
  if (trained.code !== 0) throw new Error(`microau train failed: ${trained.stderr}`)
  const { modelId } = JSON.parse(trained.stdout) as { modelId: number }
  return { library, dataset, datasetId, modelId, modelDir }
}
