import type { ApiEvents } from '../../shared/api'
import type { JobKind } from './job-kind'

type Entity = ApiEvents['data.changed']['entity']

/** A registered job kind: how to load its code, and what it changes when it succeeds. */
interface Registration {
  /** Loaded lazily, so a worker imports only the code of the kind it runs. */
  load: () => Promise<JobKind>
  /** Announced with `data.changed` when a job of the kind succeeds (refreshing other screens). */
  changes: readonly Entity[]
  /** A job the host queues when one of this kind succeeds, from the finished job's result. */
  followUp?: (result: unknown) => { kind: string; input: unknown } | null
}

/** Every job kind (an import job never loads TensorFlow.js). */
const registrations: Record<string, Registration> = {
  'clips.thumbnails': {
    load: async () => (await import('../labelling/thumbnails-job')).thumbnailsJob,
    changes: ['clips'],
  },
  'clips.cacheFrames': {
    load: async () => (await import('../labelling/cache-frames-job')).cacheFramesJob,
    changes: ['clips'],
  },
  'ml.train': {
    load: async () => (await import('../ml/jobs/train-job')).trainJob as JobKind,
    changes: ['models'],
  },
  'ml.ablation': {
    load: async () => (await import('../ml/jobs/ablation-job')).ablationJob as JobKind,
    changes: ['models'],
  },
  'ml.evaluate': {
    load: async () => (await import('../ml/jobs/evaluate-job')).evaluateJob as JobKind,
    changes: ['models'],
  },
  'ml.predict': {
    load: async () => (await import('../ml/jobs/predict-job')).predictJob as JobKind,
    changes: ['models', 'clips'],
  },
  'ml.gradCam': {
    load: async () => (await import('../ml/jobs/grad-cam-job')).gradCamJob as JobKind,
    changes: [],
  },
  'datasets.import': {
    load: async () => (await import('../datasets/jobs/import-job')).importJob,
    changes: ['datasets', 'clips'],
    // The library's cards get their pictures without anyone asking.
    followUp: (result) => thumbnailsAfter(result),
  },
  'datasets.export': {
    load: async () => (await import('../datasets/jobs/export-job')).exportJob,
    changes: [],
  },
  'datasets.demo': {
    load: async () => (await import('../datasets/jobs/demo-job')).demoJob,
    changes: ['datasets', 'clips'],
  },
  'clips.faceCrop': {
    load: async () => (await import('../datasets/jobs/face-crop-job')).faceCropJob,
    changes: ['clips'],
  },
  'signal.magnify': {
    load: async () => (await import('../signal-jobs/magnify-job')).magnifyJob as JobKind,
    changes: [],
  },
  'signal.apex': {
    load: async () => (await import('../signal-jobs/apex-job')).apexJob as JobKind,
    changes: [],
  },
  'signal.fillMissingApex': {
    load: async () =>
      (await import('../signal-jobs/fill-missing-apex-job')).fillMissingApexJob as JobKind,
    changes: ['labels'],
  },
  'spotting.spotRecording': {
    load: async () => (await import('../spotting/spot-recording-job')).spotRecordingJob as JobKind,
    changes: ['datasets', 'clips'],
  },
  'batch.analyze': {
    load: async () => (await import('../batch/batch-job')).batchJob as JobKind,
    changes: ['datasets', 'clips', 'models'],
  },
}

function registration(kind: string): Registration | undefined {
  return Object.prototype.hasOwnProperty.call(registrations, kind) ? registrations[kind] : undefined
}

/** Loads a job kind's code, or throws for a name nobody registered. */
export async function loadJobKind(kind: string): Promise<JobKind> {
  const found = registration(kind)
  if (!found) throw new Error(`Unknown job kind "${kind}".`)
  return found.load()
}

/** The job a succeeded job of `kind` with this result asks for next, if any. */
export function followUpOf(kind: string, result: unknown): { kind: string; input: unknown } | null {
  return registration(kind)?.followUp?.(result) ?? null
}

/** A thumbnails job for the dataset an import reported (`{ datasetId }`). */
function thumbnailsAfter(result: unknown): { kind: string; input: unknown } | null {
  const datasetId = (result as { datasetId?: unknown } | null)?.datasetId
  return typeof datasetId === 'number' ? { kind: 'clips.thumbnails', input: { datasetId } } : null
}

/** What a succeeded job of `kind` changed in the library (nothing for an unknown kind). */
export function dataChangedBy(kind: string): readonly Entity[] {
  return registration(kind)?.changes ?? []
}
