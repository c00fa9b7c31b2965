import { parseRoute, routeHash, type Route } from './route'

/**
 * Which screen is open. Kept in the address's hash so a reload (or a crash and restart in
 * browser mode) comes back to the same clip.
 */
export class Router {
  route: Route = $state(parseRoute(location.hash))

  constructor() {
    window.addEventListener('hashchange', () => (this.route = parseRoute(location.hash)))
  }

  /** Opens a screen. */
  go(route: Route): void {
    location.hash = routeHash(route)
    this.route = route
  }
}

/** The app's one router. */
export const router = new Router()
