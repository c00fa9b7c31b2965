import { appHandlers } from './app'
import { auEntryHandlers } from './au-entry'
import { batchHandlers } from './batch'
import { clipViewerHandlers } from './clip-viewer'
import { codeHandlers } from './codes'
import { coderHandlers } from './coders'
import { fileHandlers } from './files'
import { jobHandlers } from './jobs'
import { libraryHandlers } from './library'
import { modelHandlers } from './models'
import { predictionHandlers } from './predictions'
import { reliabilityHandlers } from './reliability'
import { signalHandlers } from './signal'
import { spottingHandlers } from './spotting'
import { transferHandlers } from './transfer'
import type { Handlers } from './types'

/** Every contract method's implementation. */
export const handlers: Handlers = {
  ...appHandlers,
  ...libraryHandlers,
  ...jobHandlers,
  ...clipViewerHandlers,
  ...coderHandlers,
  ...codeHandlers,
  ...auEntryHandlers,
  ...reliabilityHandlers,
  ...transferHandlers,
  ...fileHandlers,
  ...modelHandlers,
  ...predictionHandlers,
  ...batchHandlers,
  ...signalHandlers,
  ...spottingHandlers,
}
