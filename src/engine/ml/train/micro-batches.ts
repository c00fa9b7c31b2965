/**
 * How a training batch is cut into micro-batches of clips, and where each image row of a
 * micro-batch sits in the full batch.
 *
 * The loss reads a batch in kind-major order: the apex rows of all N clips, then their
 * close-to-apex rows, then their onset rows (as many kinds as the variant feeds). A
 * micro-batch holds every frame of its clips in the same order, so concatenating the
 * micro-batches' rows gives a "micro-major" order; the two index maps below translate.
 */

/** A micro-batch: `count` consecutive clips of the batch from `start`. */
export interface MicroBatch {
  start: number
  count: number
}

/**
 * Cuts `clips` clips into consecutive micro-batches of `size` clips, the sizes as equal as
 * possible (7 clips by 3 → 3, 2, 2), so that no micro-batch's batch-norm statistics rest
 * on a lone leftover clip. Throws a RangeError on a size below 1 or an empty batch.
 */
export function microBatches(clips: number, size: number): MicroBatch[] {
  if (!Number.isInteger(clips) || clips < 1) throw new RangeError(`a batch of ${clips} clips`)
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`a micro-batch of ${size} clips`)
  const parts = Math.ceil(clips / size)
  const base = Math.floor(clips / parts)
  const larger = clips % parts
  const out: MicroBatch[] = []
  let start = 0
  for (let k = 0; k < parts; k++) {
    const count = base + (k < larger ? 1 : 0)
    out.push({ start, count })
    start += count
  }
  return out
}

/**
 * For each row of the full batch (kind j, clip i at j·N + i) the index of the same image
 * in the concatenation of the micro-batches' rows, where micro-batch k (clips s_k …) starts
 * at kinds·s_k and holds (j, i) at kinds·s_k + j·c_k + (i − s_k).
 */
export function fullToMicroRows(parts: readonly MicroBatch[], kinds: number): Int32Array {
  const clips = parts.reduce((sum, p) => sum + p.count, 0)
  const index = new Int32Array(kinds * clips)
  for (const { start, count } of parts) {
    for (let j = 0; j < kinds; j++) {
      for (let i = 0; i < count; i++) {
        index[j * clips + start + i] = kinds * start + j * count + i
      }
    }
  }
  return index
}

/** The inverse of {@link fullToMicroRows}: for each micro-major row, its full-batch row. */
export function microToFullRows(parts: readonly MicroBatch[], kinds: number): Int32Array {
  const forward = fullToMicroRows(parts, kinds)
  const inverse = new Int32Array(forward.length)
  forward.forEach((micro, full) => (inverse[micro] = full))
  return inverse
}
