import type { LabelsByCoder } from './labels'

/** A coder as the legend names them. */
export interface NamedCoder {
  id: number
  name: string
}

const initialsOf = (name: string, letters: number) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word[0])
    .join('')
    .slice(0, letters)
    .toUpperCase()

/**
 * The short mark of each coder in the review grid, unique among `coders`: the first letter
 * of the name; where two coders share it, the initials of the first two words ('Ben Ortiz'
 * → 'BO'); where those still collide, the first letter and the coder's place among those
 * sharing it ('B1', 'B2', in the order given).
 */
export function coderMarks(coders: readonly NamedCoder[]): Map<number, string> {
  const marks = new Map<number, string>()
  const byFirst = new Map<string, NamedCoder[]>()
  for (const c of coders) {
    const first = initialsOf(c.name, 1) || '?'
    byFirst.set(first, [...(byFirst.get(first) ?? []), c])
  }
  for (const [first, group] of byFirst) {
    const twos = group.map((c) => initialsOf(c.name, 2) || first)
    const distinct = group.length === 1 || new Set(twos).size === group.length
    group.forEach((c, i) =>
      marks.set(c.id, group.length === 1 ? first : distinct ? twos[i] : `${first}${i + 1}`),
    )
  }
  return marks
}

/** An AU people coded on the shown clips that the model does not predict. */
export interface UnpredictedAu {
  au: number
  /** Clips where at least one shown coder scored it. */
  clips: number
  /** The shown coders who scored it somewhere, in the order given. */
  coderIds: number[]
}

/**
 * The AUs the shown coders scored on these clips that are not among the model's AUs, by AU
 * number: what the grid cannot show, listed apart so nobody reads their absence as "no".
 */
export function unpredictedAus(
  labels: LabelsByCoder,
  coderIds: readonly number[],
  clipIds: readonly number[],
  modelAus: readonly number[],
): UnpredictedAu[] {
  const predicted = new Set(modelAus)
  const found = new Map<number, { clips: Set<number>; coders: Set<number> }>()
  for (const coderId of coderIds) {
    for (const clipId of clipIds) {
      for (const au of labels.get(coderId)?.get(clipId) ?? []) {
        if (predicted.has(au)) continue
        const entry = found.get(au) ?? { clips: new Set<number>(), coders: new Set<number>() }
        entry.clips.add(clipId)
        entry.coders.add(coderId)
        found.set(au, entry)
      }
    }
  }
  return [...found]
    .sort(([a], [b]) => a - b)
    .map(([au, e]) => ({
      au,
      clips: e.clips.size,
      coderIds: coderIds.filter((id) => e.coders.has(id)),
    }))
}
