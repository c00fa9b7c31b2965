/** The screens of the app, as the address's hash names them. */
export type Route =
  | { screen: 'library' }
  | { screen: 'clip'; clipId: number }
  | { screen: 'reliability'; datasetId: number | null }
  | { screen: 'train' }
  | { screen: 'models' }
  | { screen: 'review'; datasetId: number | null }
  | { screen: 'batch' }

/** Screens that optionally carry a dataset id: `#/reliability/3`, `#/review`. */
const DATASET_SCREENS = ['reliability', 'review'] as const
/** Screens without an id. */
const PLAIN_SCREENS = ['train', 'models', 'batch'] as const

/**
 * Reads `#/clip/12`, `#/reliability/3`, `#/review`, `#/train`, …; anything else is the
 * library.
 */
export function parseRoute(hash: string): Route {
  const [, screen, id] = hash.replace(/^#/, '').split('/')
  const number = Number(id)
  const valid = Number.isSafeInteger(number) && number > 0
  if (screen === 'clip' && valid) return { screen: 'clip', clipId: number }
  for (const s of DATASET_SCREENS) {
    if (screen === s) return { screen: s, datasetId: valid ? number : null }
  }
  for (const s of PLAIN_SCREENS) if (screen === s) return { screen: s }
  return { screen: 'library' }
}

/** The hash of a route (the inverse of parseRoute). */
export function routeHash(route: Route): string {
  switch (route.screen) {
    case 'clip':
      return `#/clip/${route.clipId}`
    case 'reliability':
    case 'review':
      return route.datasetId === null ? `#/${route.screen}` : `#/${route.screen}/${route.datasetId}`
    default:
      return `#/${route.screen}`
  }
}
