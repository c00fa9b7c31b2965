/** A frame cache key: the SHA-256 of the frame's PNG bytes, lower-case hex. */
export const FRAME_KEY = /^[0-9a-f]{64}$/

/**
 * The cache key named by a frame URL path (`/<key>.png`, as both the Electron protocol and
 * browser mode's `/frames/<key>.png` use), or null for anything else.
 */
export function frameKeyFromPath(pathname: string): string | null {
  const match = /^\/(?:frames\/)?([0-9a-f]{64})\.png$/.exec(pathname)
  return match ? match[1] : null
}
