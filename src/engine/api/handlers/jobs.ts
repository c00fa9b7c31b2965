import type { HandlerGroup } from './types'

/** Watching and steering durable jobs. */
export const jobHandlers: HandlerGroup<'jobs.list' | 'jobs.get' | 'jobs.cancel' | 'jobs.resume'> = {
  'jobs.list': (input, ctx) => ctx.jobs.list(input.limit),
  'jobs.get': (input, ctx) => ctx.jobs.get(input.id),
  'jobs.cancel': (input, ctx) => ctx.jobs.cancel(input.id),
  'jobs.resume': (input, ctx) => ctx.jobs.resume(input.id),
}
