/**
 * The model's weights and gradients as one flat Float32Array each, so that a step crosses a
 * thread boundary as two shared buffers instead of hundreds of small arrays. Both threads
 * build the model from the same configuration, so the layout (variables in the model's
 * order, each at a fixed offset) is the same on both sides.
 */
import type { AuModel } from '../../model/au-model'
import { tf } from '../../tf'

/** Where one variable sits in a flat array. */
export interface FlatSlot {
  name: string
  offset: number
  shape: number[]
  size: number
}

/** The slots of every variable (`all`) and of the trainable ones (`trainable`), and sizes. */
export interface FlatLayout {
  all: FlatSlot[]
  allSize: number
  trainable: FlatSlot[]
  trainableSize: number
}

function slots(variables: [string, tf.Variable][]): { slots: FlatSlot[]; size: number } {
  let offset = 0
  const out = variables.map(([name, v]) => {
    const slot = { name, offset, shape: [...v.shape], size: v.size }
    offset += v.size
    return slot
  })
  return { slots: out, size: offset }
}

/**
 * The flat layout of `model`: every variable (weights and moving statistics) for the
 * parameters, the trainable ones for the gradients, in the model's variable order.
 */
export function flatLayout(model: AuModel): FlatLayout {
  const entries = model.params.entries()
  const all = slots(entries)
  const trainable = slots(entries.filter(([, v]) => v.trainable))
  return {
    all: all.slots,
    allSize: all.size,
    trainable: trainable.slots,
    trainableSize: trainable.size,
  }
}

/** Writes every variable of `model` into `into` (layout.all). */
export function writeParameters(model: AuModel, layout: FlatLayout, into: Float32Array): void {
  for (const slot of layout.all) {
    into.set(model.params.get(slot.name).dataSync() as Float32Array, slot.offset)
  }
}

/** Assigns every variable of `model` from `from` (layout.all). */
export function readParameters(model: AuModel, layout: FlatLayout, from: Float32Array): void {
  for (const slot of layout.all) {
    model.params.assign(slot.name, from.subarray(slot.offset, slot.offset + slot.size))
  }
}

/**
 * Adds gradients by parameter name into `into` (layout.trainable); a trainable variable
 * without a gradient adds nothing.
 */
export function addGradients(
  grads: Record<string, tf.Tensor>,
  layout: FlatLayout,
  into: Float32Array,
): void {
  for (const slot of layout.trainable) {
    const g = grads[slot.name]
    if (!g) continue
    const values = g.dataSync()
    for (let i = 0; i < slot.size; i++) into[slot.offset + i] += values[i]
  }
}

/** The gradients in `from` (layout.trainable) as tensors by parameter name, but `skip`'s. */
export function gradientTensors(
  layout: FlatLayout,
  from: Float32Array,
  skip: ReadonlySet<string> = new Set(),
): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {}
  for (const slot of layout.trainable) {
    if (skip.has(slot.name)) continue
    out[slot.name] = tf.tensor(from.slice(slot.offset, slot.offset + slot.size), slot.shape)
  }
  return out
}
