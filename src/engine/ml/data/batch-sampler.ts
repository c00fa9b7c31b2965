import type { Rng } from '../../datasets/synthetic/prng'

/** True when two label vectors share no AU (zero dot product): a negative pair of L_NA. */
export function isNegativePair(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  for (let m = 0; m < a.length; m++) if (a[m] > 0 && b[m] > 0) return false
  return true
}

/** True when some pair i < j of `members` is negative. */
export function hasNegativePair(
  members: readonly number[],
  labels: readonly ArrayLike<number>[],
): boolean {
  for (let i = 0; i < members.length; i++) {
    for (let j = i + 1; j < members.length; j++) {
      if (isNegativePair(labels[members[i]], labels[members[j]])) return true
    }
  }
  return false
}

function firstNegativePair(
  pool: readonly number[],
  labels: readonly ArrayLike<number>[],
): [number, number] | null {
  for (let i = 0; i < pool.length; i++) {
    for (let j = i + 1; j < pool.length; j++) {
      if (isNegativePair(labels[pool[i]], labels[pool[j]])) return [pool[i], pool[j]]
    }
  }
  return null
}

/**
 * Repairs a batch without a negative pair by swapping one of its clips with a clip of
 * another batch, as long as that batch keeps a negative pair if it had one. Returns
 * whether it found a swap.
 */
function repair(batches: number[][], b: number, labels: readonly ArrayLike<number>[]): boolean {
  const target = batches[b]
  for (let c = 0; c < batches.length; c++) {
    if (c === b) continue
    const other = batches[c]
    const otherHad = hasNegativePair(other, labels)
    for (let x = 0; x < other.length; x++) {
      for (let y = 0; y < target.length; y++) {
        ;[target[y], other[x]] = [other[x], target[y]]
        if (hasNegativePair(target, labels) && (!otherHad || hasNegativePair(other, labels))) {
          return true
        }
        ;[target[y], other[x]] = [other[x], target[y]]
      }
    }
  }
  return false
}

/**
 * One epoch of batches over clips 0 … n−1 (indices into `labels`), shuffled by `rng`, of
 * `batchSize` clips (the last may be smaller; a last batch of one clip joins the one
 * before). Every batch is seeded with a negative pair (two clips sharing no AU) while the
 * clips not yet placed still hold one, and a batch left without any is repaired by a swap
 * that leaves the other batch a negative pair, so L_NA has pairs in every batch the data
 * allows. Deterministic for a given rng state.
 */
export function sampleBatches(
  labels: readonly ArrayLike<number>[],
  batchSize: number,
  rng: Rng,
): number[][] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size ${batchSize}`)
  const pool = rng.shuffle(labels.map((_, i) => i))
  const sizes: number[] = []
  for (let left = pool.length; left > 0; left -= batchSize) sizes.push(Math.min(batchSize, left))
  if (sizes.length > 1 && sizes[sizes.length - 1] === 1) {
    sizes.pop()
    sizes[sizes.length - 1] += 1
  }
  const batches: number[][] = []
  for (const size of sizes) {
    const batch: number[] = []
    const seed = size >= 2 ? firstNegativePair(pool, labels) : null
    if (seed) {
      for (const s of seed) pool.splice(pool.indexOf(s), 1)
      batch.push(...seed)
    }
    while (batch.length < size) batch.push(pool.shift()!)
    batches.push(batch)
  }
  for (let b = 0; b < batches.length; b++) {
    if (batches[b].length >= 2 && !hasNegativePair(batches[b], labels)) repair(batches, b, labels)
  }
  return batches
}
