import type { JobKind } from './job-kind'

/**
 * Every job kind, loaded lazily so a worker imports only the code of the kind it runs
 * (an import job never loads TensorFlow.js).
 */
export const jobKindLoaders: Record<string, () => Promise<JobKind>> = {
  'clips.cacheFrames': async () => (await import('../labelling/cache-frames-job')).cacheFramesJob,
  'ml.train': async () => (await import('../ml/jobs/train-job')).trainJob as JobKind,
  'ml.ablation': async () => (await import('../ml/jobs/ablation-job')).ablationJob as JobKind,
  'ml.evaluate': async () => (await import('../ml/jobs/evaluate-job')).evaluateJob as JobKind,
  'ml.predict': async () => (await import('../ml/jobs/predict-job')).predictJob as JobKind,
  'ml.gradCam': async () => (await import('../ml/jobs/grad-cam-job')).gradCamJob as JobKind,
  'datasets.import': async () => (await import('../datasets/jobs/import-job')).importJob,
  'datasets.export': async () => (await import('../datasets/jobs/export-job')).exportJob,
  'datasets.demo': async () => (await import('../datasets/jobs/demo-job')).demoJob,
  'clips.faceCrop': async () => (await import('../datasets/jobs/face-crop-job')).faceCropJob,
  'signal.magnify': async () => (await import('../signal-jobs/magnify-job')).magnifyJob as JobKind,
  'signal.apex': async () => (await import('../signal-jobs/apex-job')).apexJob as JobKind,
  'signal.fillMissingApex': async () =>
    (await import('../signal-jobs/fill-missing-apex-job')).fillMissingApexJob as JobKind,
  'batch.analyze': async () => (await import('../batch/batch-job')).batchJob as JobKind,
}

/** Loads a job kind's code, or throws for a name nobody registered. */
export async function loadJobKind(kind: string): Promise<JobKind> {
  const load = Object.prototype.hasOwnProperty.call(jobKindLoaders, kind)
    ? jobKindLoaders[kind]
    : undefined
  if (!load) throw new Error(`Unknown job kind "${kind}".`)
  return load()
}
