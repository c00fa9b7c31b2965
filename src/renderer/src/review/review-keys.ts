/** What a key press asks the Review screen to do. */
export type ReviewAction = 'next' | 'previous' | 'accept' | 'skip' | 'explain' | 'open'

/** The parts of a KeyboardEvent the key map reads. */
export interface KeyPress {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
}

/** The Review screen's keys, for the legend. Keep in step with reviewAction below. */
export const REVIEW_KEYS: readonly [string, string][] = [
  ['j / n', 'next disagreement'],
  ['k / p', 'previous disagreement'],
  ['a', 'accept the model’s AU into your labels'],
  ['s', 'skip: leave it and go to the next'],
  ['g', 'Grad-CAM of the clip'],
  ['o', 'open the clip in the viewer'],
]

const ACTIONS: Record<string, ReviewAction> = {
  j: 'next',
  n: 'next',
  k: 'previous',
  p: 'previous',
  a: 'accept',
  s: 'skip',
  g: 'explain',
  o: 'open',
}

/** The action of a key press, or null for keys the screen leaves alone (any with a modifier). */
export function reviewAction(press: KeyPress): ReviewAction | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null
  return ACTIONS[press.key] ?? null
}
