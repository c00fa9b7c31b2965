import { appHandlers } from './app'
import { jobHandlers } from './jobs'
import { libraryHandlers } from './library'
import type { Handlers } from './types'

/** Every contract method's implementation. */
export const handlers: Handlers = {
  ...appHandlers,
  ...libraryHandlers,
  ...jobHandlers,
}
