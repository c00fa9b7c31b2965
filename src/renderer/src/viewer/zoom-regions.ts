/** A rectangle in frame pixels. */
export interface Box {
  x: number
  y: number
  width: number
  height: number
}

/** What the viewer can zoom to. */
export const ZOOM_REGIONS = ['face', 'brows', 'eyes', 'mouth'] as const

/** One of ZOOM_REGIONS. */
export type ZoomRegion = (typeof ZOOM_REGIONS)[number]

/**
 * Where each region sits in a frontal face, as fractions of the face box (left, top, right,
 * bottom). The whole frame stands for the face box: CASME II, SAMM and CAS(ME)³ frames are
 * centred on one face, and cropped releases are the face.
 */
const FRACTIONS: Record<ZoomRegion, [number, number, number, number]> = {
  face: [0, 0, 1, 1],
  brows: [0.12, 0.2, 0.88, 0.45],
  eyes: [0.12, 0.3, 0.88, 0.55],
  mouth: [0.22, 0.58, 0.78, 0.88],
}

/** The pixel box of a region in a frame of the given size. */
export function zoomBox(region: ZoomRegion, frame: { width: number; height: number }): Box {
  const [left, top, right, bottom] = FRACTIONS[region]
  const x = Math.round(left * frame.width)
  const y = Math.round(top * frame.height)
  return {
    x,
    y,
    width: Math.max(1, Math.round(right * frame.width) - x),
    height: Math.max(1, Math.round(bottom * frame.height) - y),
  }
}
