import fs from 'node:fs/promises'
import path from 'node:path'
import type { AuModel } from '../model/au-model'
import { tf } from '../tf'
import { loadAuModel, saveAuModel } from '../weights/tfjs-format'
import type { MomentumSgd } from './momentum-sgd'

/** What a checkpoint says about the run it belongs to. */
export interface CheckpointMeta {
  /** The run's random stream name ('fold-1', 'final'): a checkpoint resumes only its own run. */
  stream: string
  /** Epochs finished; training resumes at this epoch. */
  epochsDone: number
  preset: string
}

const OPTIMIZER_WEIGHTS = 'optimizer.bin'
const OPTIMIZER_MANIFEST = 'optimizer.json'
const META = 'checkpoint.json'

async function removeDir(dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true })
}

/**
 * Writes model weights (batch-norm statistics included), optimizer velocities and `meta`
 * to `dir`, replacing the previous checkpoint only once the new one is complete.
 */
export async function writeCheckpoint(
  dir: string,
  model: AuModel,
  optimizer: MomentumSgd,
  meta: CheckpointMeta,
): Promise<void> {
  const fresh = `${dir}.tmp`
  const old = `${dir}.old`
  await removeDir(fresh)
  await saveAuModel(path.join(fresh, 'model'), model, { preset: meta.preset })
  const { data, specs } = await tf.io.encodeWeights(optimizer.state())
  await fs.writeFile(path.join(fresh, OPTIMIZER_WEIGHTS), new Uint8Array(data))
  await fs.writeFile(path.join(fresh, OPTIMIZER_MANIFEST), JSON.stringify(specs))
  await fs.writeFile(path.join(fresh, META), JSON.stringify(meta))
  await removeDir(old)
  await fs.rename(dir, old).catch(() => undefined)
  await fs.rename(fresh, dir)
  await removeDir(old)
}

/** A checkpoint read back: the model, the velocities (caller disposes) and its meta. */
export interface Checkpoint {
  model: AuModel
  velocities: Record<string, tf.Tensor>
  meta: CheckpointMeta
}

/** Reads the checkpoint in `dir` (or the one a crash left in `dir.old`); null when none. */
export async function readCheckpoint(dir: string): Promise<Checkpoint | null> {
  for (const candidate of [dir, `${dir}.old`]) {
    let meta: CheckpointMeta
    try {
      meta = JSON.parse(await fs.readFile(path.join(candidate, META), 'utf8')) as CheckpointMeta
    } catch {
      continue
    }
    const { model } = await loadAuModel(path.join(candidate, 'model'))
    const specs = JSON.parse(
      await fs.readFile(path.join(candidate, OPTIMIZER_MANIFEST), 'utf8'),
    ) as tf.io.WeightsManifestEntry[]
    const bytes = await fs.readFile(path.join(candidate, OPTIMIZER_WEIGHTS))
    const velocities = tf.io.decodeWeights(Uint8Array.from(bytes).buffer, specs)
    return { model, velocities, meta }
  }
  return null
}

/** Removes a checkpoint (after its run finished). */
export async function clearCheckpoint(dir: string): Promise<void> {
  await removeDir(dir)
  await removeDir(`${dir}.old`)
  await removeDir(`${dir}.tmp`)
}
