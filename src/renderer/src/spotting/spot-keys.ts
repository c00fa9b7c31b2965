import { viewerAction, type KeyPress, type MarkerName } from '../viewer/key-map'

/** What a key press asks the Spotting screen to do. */
export type SpotAction =
  | { type: 'candidate'; step: 1 | -1 }
  | { type: 'decide'; status: 'accepted' | 'rejected' | 'pending' }
  | { type: 'step'; frames: number }
  | { type: 'first' }
  | { type: 'last' }
  | { type: 'mark'; marker: MarkerName }
  | { type: 'open' }

/** The Spotting screen's keys, for the legend. Keep in step with spotAction below. */
export const SPOT_KEYS: readonly [string, string][] = [
  ['j / n, Page Down', 'next candidate'],
  ['k / p, Page Up', 'previous candidate'],
  ['y', 'accept: a micro- or macro-expression is there'],
  ['x', 'reject: nothing to code there'],
  ['u', 'take the decision back (pending)'],
  ['← / →', 'one frame back / forward (Shift: ten)'],
  ['Home / End', 'first / last frame of the candidate'],
  ['o / a / f', 'onset / apex / offset at this frame'],
  ['w', 'open in the clip viewer (to widen the interval or code AUs)'],
]

const OWN_KEYS: Record<string, SpotAction> = {
  j: { type: 'candidate', step: 1 },
  n: { type: 'candidate', step: 1 },
  k: { type: 'candidate', step: -1 },
  p: { type: 'candidate', step: -1 },
  y: { type: 'decide', status: 'accepted' },
  x: { type: 'decide', status: 'rejected' },
  u: { type: 'decide', status: 'pending' },
  w: { type: 'open' },
}

/**
 * The action of a key press, or null for keys the screen leaves alone. Frame stepping and
 * the o / a / f markers are the viewer's own keys (`viewerAction`), so a coder's hands do
 * the same thing on both screens; Page Up / Down move between candidates as they move
 * between clips in the viewer.
 */
export function spotAction(press: KeyPress): SpotAction | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key
  if (!press.shiftKey && Object.prototype.hasOwnProperty.call(OWN_KEYS, key)) return OWN_KEYS[key]
  const viewer = viewerAction(press)
  switch (viewer?.type) {
    case 'step':
    case 'first':
    case 'last':
    case 'mark':
      return viewer
    case 'clip':
      return { type: 'candidate', step: viewer.step }
    default:
      return null
  }
}
