import { net, protocol } from 'electron'
import { pathToFileURL } from 'node:url'
import { frameKeyFromPath } from '../shared/frame-url'
import { servableFramePath } from '../engine/media/frame-cache'

/** The scheme frame images are served on: `microau-frame://cache/<sha256>.png`. */
export const FRAME_SCHEME = 'microau-frame'

/** Must run before app ready: lets the page load frames like ordinary images. */
export function registerFrameScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: FRAME_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

/**
 * Serves frame images from the library's frame cache only: the URL is reduced to a
 * content hash, and any URL that is not exactly one hash gets 404, whatever it says; so
 * does a key whose file resolves (through links) outside the cache.
 */
export function serveFrames(frameCacheDir: () => string): void {
  protocol.handle(FRAME_SCHEME, async (request) => {
    const key = frameKeyFromPath(new URL(request.url).pathname)
    const file = key ? await servableFramePath(frameCacheDir(), key) : undefined
    if (!file) return new Response('not found', { status: 404 })
    return net.fetch(pathToFileURL(file).toString())
  })
}
