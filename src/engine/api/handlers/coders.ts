import { createCoder, listCoders } from '../../db/queries/coders'
import type { HandlerGroup } from './types'

/** Who codes: people and adjudicated layers (import coders come with their sheets). */
export const coderHandlers: HandlerGroup<'coders.list' | 'coders.create'> = {
  'coders.list': (_input, ctx) => listCoders(ctx.db),
  'coders.create': (input, ctx) => createCoder(ctx.db, input.name, input.kind),
}
