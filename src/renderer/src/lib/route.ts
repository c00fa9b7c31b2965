/** The screens of the app, as the address's hash names them. */
export type Route =
  | { screen: 'library' }
  | { screen: 'clip'; clipId: number }
  | { screen: 'reliability'; datasetId: number | null }

/** Reads `#/clip/12`, `#/reliability/3`, `#/library`; anything else is the library. */
export function parseRoute(hash: string): Route {
  const [, screen, id] = hash.replace(/^#/, '').split('/')
  const number = Number(id)
  const valid = Number.isSafeInteger(number) && number > 0
  if (screen === 'clip' && valid) return { screen: 'clip', clipId: number }
  if (screen === 'reliability') return { screen: 'reliability', datasetId: valid ? number : null }
  return { screen: 'library' }
}

/** The hash of a route (the inverse of parseRoute). */
export function routeHash(route: Route): string {
  if (route.screen === 'clip') return `#/clip/${route.clipId}`
  if (route.screen === 'reliability') {
    return route.datasetId === null ? '#/reliability' : `#/reliability/${route.datasetId}`
  }
  return '#/library'
}
