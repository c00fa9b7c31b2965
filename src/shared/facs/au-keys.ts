/*
 * The AU panel's number keys. A dataset keeps one map from AUs to keys; a coder's muscle
 * memory rests on it, so an AU's key never moves unless someone rebinds it by hand. AUs new
 * to the dataset take the next free key or none; they never push the others along.
 */

/** The number keys in the panel's order: 1 … 9, then 0. */
export const AU_KEY_ORDER: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 0]

/** AUs a dataset nobody has scored yet starts its map with (ten of them get keys). */
export const STARTER_AUS: readonly number[] = [1, 2, 4, 6, 7, 9, 10, 12, 14, 15, 17, 25]

/** One AU of a dataset's map and its number key (null: none). */
export interface AuKeyEntry {
  au: number
  key: number | null
}

/** A dataset's AU key map: every AU the map knows, ascending, with its key or null. */
export interface AuKeyMap {
  datasetId: number
  entries: AuKeyEntry[]
}

/**
 * Adds AUs the map does not know yet: ascending, each takes the first key of AU_KEY_ORDER no
 * entry holds, or null when all ten are taken. Known AUs keep their key (or none), whatever
 * the order of `aus`. Answers the entries ascending by AU.
 */
export function addAusToKeyMap(
  entries: readonly AuKeyEntry[],
  aus: Iterable<number>,
): AuKeyEntry[] {
  const known = new Set(entries.map((e) => e.au))
  const taken = new Set(entries.map((e) => e.key))
  const added = [...new Set(aus)]
    .filter((au) => !known.has(au))
    .sort((a, b) => a - b)
    .map((au) => {
      const key = AU_KEY_ORDER.find((k) => !taken.has(k)) ?? null
      taken.add(key)
      return { au, key }
    })
  return [...entries, ...added].sort((a, b) => a.au - b.au)
}

/**
 * Binds `key` to `au` (null: the AU keeps no key). The AU that held the key loses it; the key
 * the AU held becomes free. An AU new to the map joins it.
 */
export function bindAuKey(
  entries: readonly AuKeyEntry[],
  au: number,
  key: number | null,
): AuKeyEntry[] {
  const others = entries
    .filter((e) => e.au !== au)
    .map((e) => (key !== null && e.key === key ? { au: e.au, key: null } : e))
  return [...others, { au, key }].sort((a, b) => a.au - b.au)
}

/** The key a number-key press slot stands for: slot 0 is key 1, slot 9 is key 0. */
export function keyOfSlot(slot: number): number | undefined {
  return AU_KEY_ORDER[slot]
}

/** The AU bound to a number key, if any. */
export function auOfKey(entries: readonly AuKeyEntry[], key: number): number | undefined {
  return entries.find((e) => e.key === key)?.au
}
