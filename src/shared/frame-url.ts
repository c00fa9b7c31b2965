/**
 * Frame images travel by URL: `microau-frame://cache/<key>.png` inside Electron, and
 * `/frames/<key>.png` in browser mode, where `key` is the SHA-256 of the frame's PNG bytes.
 */

/** A frame cache key: the SHA-256 of the frame's PNG bytes, 64 lowercase hex digits. */
const KEY = '[0-9a-f]{64}'
const KEY_ONLY = new RegExp(`^${KEY}$`)
const KEY_PATH = new RegExp(`^/(?:frames/)?(${KEY})\\.png$`)

/** True for a well-formed frame cache key. */
export function isFrameKey(key: unknown): key is string {
  return typeof key === 'string' && KEY_ONLY.test(key)
}

/** The URL of a cached frame for the page's transport. */
export function frameUrl(key: string, inElectron: boolean): string {
  return inElectron ? `microau-frame://cache/${key}.png` : `/frames/${key}.png`
}

/**
 * The cache key named by a frame URL's path (`/<key>.png` from the Electron protocol,
 * `/frames/<key>.png` in browser mode), or null for anything else.
 */
export function frameKeyFromPath(pathname: string): string | null {
  const match = KEY_PATH.exec(pathname)
  return match ? match[1] : null
}
