/** Which of a coder's markers. */
export type MarkerName = 'onset' | 'apex' | 'offset'

/** What a key press asks the viewer to do. */
export type ViewerAction =
  | { type: 'step'; frames: number }
  | { type: 'first' }
  | { type: 'last' }
  | { type: 'play' }
  | { type: 'mark'; marker: MarkerName }
  | { type: 'clear'; marker: MarkerName }
  | { type: 'toggleAu'; slot: number }
  | { type: 'nextView' }
  | { type: 'nextZoom' }
  | { type: 'magnified' }
  | { type: 'suggestedApex' }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'clip'; step: 1 | -1 }

/** The parts of a KeyboardEvent the key map reads. */
export interface KeyPress {
  key: string
  shiftKey: boolean
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
}

const MARKER_KEYS: Record<string, MarkerName> = { o: 'onset', a: 'apex', f: 'offset' }

/**
 * The viewer's keys, for the legend and the tests: what each does, in the coder's words.
 * Keep in step with viewerAction below.
 */
export const KEY_LEGEND: readonly [string, string][] = [
  ['← / →', 'one frame back / forward'],
  ['Shift + ← / →', 'ten frames'],
  ['Home / End', 'first / last frame'],
  ['Space', 'play / pause at the chosen speed'],
  ['o / a / f', 'onset / apex / offset at this frame'],
  ['Shift + o / a / f', 'clear onset / apex / offset'],
  ['1 … 9, 0', 'toggle the AUs numbered in the AU panel'],
  ['v', 'next view: raw, difference, side by side'],
  ['z', 'next zoom: face, brows, eyes, mouth'],
  ['m', 'magnified view on / off (magnifies the clip first if needed)'],
  ['s', 'spot the apex, then go to the suggested apex'],
  ['Ctrl + Z', 'undo your last change on this clip'],
  ['Ctrl + Shift + Z, Ctrl + Y', 'redo'],
  ['Page Up / Page Down', 'previous / next clip of the library’s list (its filters apply)'],
]

/** The action of a key press, or null for keys the viewer leaves alone. */
export function viewerAction(press: KeyPress): ViewerAction | null {
  const command = press.ctrlKey || press.metaKey
  if (press.altKey) return null
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key
  if (command) {
    if (key === 'z') return press.shiftKey ? { type: 'redo' } : { type: 'undo' }
    if (key === 'y' && !press.shiftKey) return { type: 'redo' }
    return null
  }
  switch (key) {
    case 'ArrowRight':
      return { type: 'step', frames: press.shiftKey ? 10 : 1 }
    case 'ArrowLeft':
      return { type: 'step', frames: press.shiftKey ? -10 : -1 }
    case 'Home':
      return { type: 'first' }
    case 'End':
      return { type: 'last' }
    case 'PageUp':
      return { type: 'clip', step: -1 }
    case 'PageDown':
      return { type: 'clip', step: 1 }
    case ' ':
      return { type: 'play' }
    case 'v':
      return press.shiftKey ? null : { type: 'nextView' }
    case 'z':
      return press.shiftKey ? null : { type: 'nextZoom' }
    case 'm':
      return press.shiftKey ? null : { type: 'magnified' }
    case 's':
      return press.shiftKey ? null : { type: 'suggestedApex' }
  }
  const marker = MARKER_KEYS[key]
  if (marker) return press.shiftKey ? { type: 'clear', marker } : { type: 'mark', marker }
  if (/^[0-9]$/.test(key) && !press.shiftKey) {
    return { type: 'toggleAu', slot: key === '0' ? 9 : Number(key) - 1 }
  }
  return null
}
