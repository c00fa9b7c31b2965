import type { ApiEvents } from '../../shared/api'

type Entity = ApiEvents['data.changed']['entity']

/**
 * What a job kind changes in the library when it succeeds, so the engine can say so with
 * `data.changed` (a screen showing datasets refreshes after an import another screen ran).
 */
export const JOB_DATA_CHANGES: Record<string, readonly Entity[]> = {
  'datasets.import': ['datasets', 'clips'],
  'datasets.demo': ['datasets', 'clips'],
  'batch.analyze': ['datasets', 'clips', 'models'],
  'clips.faceCrop': ['clips'],
  'clips.cacheFrames': ['clips'],
  'ml.train': ['models'],
  'ml.ablation': ['models'],
  'ml.evaluate': ['models'],
  'ml.predict': ['models', 'clips'],
  'signal.fillMissingApex': ['labels'],
}

/** The entities a succeeded job of `kind` changed (none for a kind that only reads). */
export function dataChangedBy(kind: string): readonly Entity[] {
  return Object.prototype.hasOwnProperty.call(JOB_DATA_CHANGES, kind) ? JOB_DATA_CHANGES[kind] : []
}
