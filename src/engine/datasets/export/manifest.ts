import fs from 'node:fs'
import path from 'node:path'
import type { LibraryDb } from '../../db/open-library'
import { loadDatasetClips, type ExportClip } from './coded-rows'

/** The JSON manifest of a dataset: its clips, where their frames are, and every coder's codes. */
export interface DatasetManifest {
  format: 'microau-dataset-manifest'
  version: 1
  dataset: string
  subjects: { code: string; clips: Omit<ExportClip, 'clipId' | 'subject'>[] }[]
}

/** Builds the manifest of a dataset (all coders, or one). */
export function datasetManifest(db: LibraryDb, dataset: string, coder?: string): DatasetManifest {
  const subjects = new Map<string, DatasetManifest['subjects'][number]>()
  for (const { clipId: _clipId, subject, ...clip } of loadDatasetClips(db, dataset, coder)) {
    let entry = subjects.get(subject)
    if (!entry) {
      entry = { code: subject, clips: [] }
      subjects.set(subject, entry)
    }
    entry.clips.push(clip)
  }
  return {
    format: 'microau-dataset-manifest',
    version: 1,
    dataset,
    subjects: [...subjects.values()],
  }
}

/** Writes the manifest as pretty-printed JSON; returns the file written. */
export function exportManifest(
  db: LibraryDb,
  options: { dataset: string; out: string; coder?: string },
): string {
  const file = path.resolve(options.out)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(
    file,
    JSON.stringify(datasetManifest(db, options.dataset, options.coder), null, 2) + '\n',
  )
  return file
}
