import { z } from 'zod'
import { method, result, type MethodSpec } from './contract'
import type { AppInfo, ClipSummary, Dataset, Job } from './domain'

/** Row ids are positive integers. */
const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)
/** Names a person types: trimmed, 1–200 characters, no control characters. */
const name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters')

const empty = z.object({}).strict()

/**
 * The contract: every method the UI may call. The engine implements each once
 * (src/engine/api), both transports carry them, and the renderer's client is derived
 * from this object, so a renamed method breaks the build, not the app.
 */
export const api = {
  'app.info': method(empty, result<AppInfo>(), 'Version and library of the running engine'),
  'datasets.list': method(empty, result<Dataset[]>(), 'Lists datasets with their counts'),
  'datasets.create': method(
    z.object({ name }).strict(),
    result<Dataset>(),
    'Creates an empty dataset',
  ),
  'datasets.rename': method(
    z.object({ id, name }).strict(),
    result<Dataset>(),
    'Renames a dataset',
  ),
  'clips.list': method(
    z
      .object({
        datasetId: id.optional(),
        limit: z.number().int().min(1).max(10_000).default(1000),
        offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
      })
      .strict(),
    result<ClipSummary[]>(),
    'Lists clips, optionally of one dataset',
  ),
  'jobs.list': method(
    z.object({ limit: z.number().int().min(1).max(1000).default(100) }).strict(),
    result<Job[]>(),
    'Lists recent jobs, newest first',
  ),
  'jobs.get': method(z.object({ id }).strict(), result<Job>(), 'One job with its progress'),
  'jobs.cancel': method(
    z.object({ id }).strict(),
    result<Job>(),
    'Cancels a job (a running one stops within one step)',
  ),
  'jobs.resume': method(
    z.object({ id }).strict(),
    result<Job>(),
    'Resumes a cancelled, failed or interrupted job from its last saved state',
  ),
}

/** Events the engine pushes to every subscriber. */
export interface ApiEvents {
  /** Stored data changed: listeners refetch what they show of `entity`. */
  'data.changed': { entity: 'datasets' | 'clips' | 'labels' | 'models'; ids?: number[] }
  /** A job was queued, progressed, or finished. */
  'job.changed': Job
}

/** Declared event names, checked by the preload and the WebSocket host. */
export const eventNames = [
  'data.changed',
  'job.changed',
] as const satisfies readonly (keyof ApiEvents)[]

export type Api = typeof api
export type MethodName = keyof Api
export type MethodInput<M extends MethodName> = z.input<Api[M]['input']>
export type ParsedInput<M extends MethodName> = z.output<Api[M]['input']>
export type MethodResult<M extends MethodName> =
  Api[M] extends MethodSpec<z.ZodType, infer R> ? R : never
export type EventName = keyof ApiEvents

/** The declared method names, for transports that check before forwarding. */
export const methodNames = Object.keys(api) as MethodName[]

/** True when `value` names a declared method. */
export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(api, value)
}

/** True when `value` names a declared event. */
export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (eventNames as readonly string[]).includes(value)
}
