import type { JobKind } from './job-kind'

/**
 * Every job kind, loaded lazily so a worker imports only the code of the kind it runs
 * (an import job never loads TensorFlow.js).
 */
export const jobKindLoaders: Record<string, () => Promise<JobKind>> = {}

/** Loads a job kind's code, or throws for a name nobody registered. */
export async function loadJobKind(kind: string): Promise<JobKind> {
  const load = Object.prototype.hasOwnProperty.call(jobKindLoaders, kind)
    ? jobKindLoaders[kind]
    : undefined
  if (!load) throw new Error(`Unknown job kind "${kind}".`)
  return load()
}
