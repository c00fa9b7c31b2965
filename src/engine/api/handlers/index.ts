import { appHandlers } from './app'
import { libraryHandlers } from './library'
import type { Handlers } from './types'

/** Every contract method's implementation. */
export const handlers: Handlers = {
  ...appHandlers,
  ...libraryHandlers,
}
