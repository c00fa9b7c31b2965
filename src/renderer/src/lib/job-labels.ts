/** What each job kind does, in the words the UI uses for it. */
const LABELS: Record<string, string> = {
  'clips.cacheFrames': 'Preparing frames',
  'clips.thumbnails': 'Preparing thumbnails',
  'datasets.import': 'Import',
  'datasets.export': 'Export',
  'datasets.demo': 'Demo dataset',
  'clips.faceCrop': 'Face cropping',
  'ml.train': 'Training',
  'ml.ablation': 'Ablation',
  'ml.evaluate': 'Evaluation',
  'ml.predict': 'Prediction',
  'ml.gradCam': 'Grad-CAM',
  'batch.analyze': 'Batch analysis',
  'signal.magnify': 'Magnification',
  'signal.apex': 'Apex spotting',
  'signal.fillMissingApex': 'Apex spotting',
  'spotting.spotRecording': 'Spotting a recording',
}

/** The label of a job kind; the kind itself for one this list does not know. */
export function jobLabel(kind: string): string {
  return LABELS[kind] ?? kind
}
