import pkg from '../../../../package.json' with { type: 'json' }
import { schemaVersion } from '../../db/open-library'
import type { HandlerGroup } from './types'

/** Methods about the running engine itself. */
export const appHandlers: HandlerGroup<'app.info'> = {
  'app.info': (_input, ctx) => ({
    version: pkg.version,
    libraryPath: ctx.libraryPath,
    schemaVersion: schemaVersion(ctx.db),
    startedAt: ctx.startedAt,
  }),
}
