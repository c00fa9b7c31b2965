import { listDirectory } from '../../files/list-directory'
import type { HandlerGroup } from './types'

/** The engine's file system as path pickers see it. */
export const fileHandlers: HandlerGroup<'files.list'> = {
  'files.list': (input) => listDirectory(input.path, input.extensions),
}
