import { frameUrl as urlFor } from '../../../shared/frame-url'

/**
 * The URL of a cached frame for this page: the Electron frame protocol when the preload
 * gave us window.microau, else browser mode's `/frames/<key>.png`.
 */
export function frameUrl(key: string): string {
  return urlFor(key, window.microau !== undefined)
}
