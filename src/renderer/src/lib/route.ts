/** The screens of the app, as the address's hash names them. */
export type Route =
  | { screen: 'library' }
  | { screen: 'clip'; clipId: number }
  | { screen: 'reliability'; datasetId: number | null }
  | { screen: 'train' }
  | { screen: 'models' }
  | { screen: 'model'; modelId: number }
  | { screen: 'review'; datasetId: number | null; modelId?: number | null }
  | { screen: 'batch' }
  | { screen: 'spotting'; datasetId: number | null }

/** Screens without an id. */
const PLAIN_SCREENS = ['train', 'models', 'batch'] as const

/** A positive integer id from a piece of the hash, or null. */
function idOf(text: string | undefined): number | null {
  const number = Number(text)
  return Number.isSafeInteger(number) && number > 0 ? number : null
}

/**
 * Reads `#/clip/12`, `#/reliability/3`, `#/spotting/3`, `#/review`, `#/review/3/7` (dataset 3 with model 7),
 * `#/models/4` (model 4's page), `#/train`, …; anything else is the library.
 */
export function parseRoute(hash: string): Route {
  const [, screen, first, second] = hash.replace(/^#/, '').split('/')
  const id = idOf(first)
  if (screen === 'clip' && id !== null) return { screen: 'clip', clipId: id }
  if (screen === 'models' && id !== null) return { screen: 'model', modelId: id }
  if (screen === 'reliability' || screen === 'spotting') return { screen, datasetId: id }
  // A model only goes with a dataset.
  if (screen === 'review')
    return { screen, datasetId: id, modelId: id === null ? null : idOf(second) }
  for (const s of PLAIN_SCREENS) if (screen === s) return { screen: s }
  return { screen: 'library' }
}

/** The hash of a route (the inverse of parseRoute). */
export function routeHash(route: Route): string {
  switch (route.screen) {
    case 'clip':
      return `#/clip/${route.clipId}`
    case 'model':
      return `#/models/${route.modelId}`
    case 'review':
      if (route.datasetId !== null && route.modelId != null) {
        return `#/review/${route.datasetId}/${route.modelId}`
      }
      return route.datasetId === null ? '#/review' : `#/review/${route.datasetId}`
    case 'reliability':
    case 'spotting':
      return route.datasetId === null ? `#/${route.screen}` : `#/${route.screen}/${route.datasetId}`
    default:
      return `#/${route.screen}`
  }
}
