import path from 'node:path'
import { runMicroau, trainTinyArgs } from '../helpers/cli'
import { buildSyntheticLibrary, type SyntheticLibrary } from './synthetic-library'

/** A library with a small synthetic dataset and a tiny model trained on it. */
export interface TrainedLibrary extends SyntheticLibrary {
  modelId: number
  /** The model's folder. */
  modelDir: string
}

/**
 * Builds a library the way a user would (generator → CASME II importer, frames 64 pixels
 * square unless said) and trains the smallest model on it through `microau train` (tiny
 * preset, 2 folds, 1 epoch, AUs with at least 2 positive clips, wasm backend): small frames
 * keep magnification and training short.
 */
export async function buildTrainedLibrary(
  dir: string,
  options: { subjects: number; clipsPerSubject: number; seed: number; size?: number },
): Promise<TrainedLibrary> {
  const built = await buildSyntheticLibrary(dir, { ...options, size: options.size ?? 64 })
  const modelDir = path.join(dir, 'model')
  // Ten minutes: on a machine shared by several test runs training can take more than two.
  const trained = runMicroau(
    [...trainTinyArgs({ db: built.library, out: modelDir, seed: options.seed }), '--json'],
    {},
    600_000,
  )
  if (trained.code !== 0) throw new Error(`microau train failed: ${trained.stderr}`)
  const { modelId } = JSON.parse(trained.stdout) as { modelId: number }
  return { ...built, modelId, modelDir }
}
