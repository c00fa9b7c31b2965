import type { ImportFlagInfo, ImportSummary } from '../../../shared/domain'
import type { LibraryDb } from '../open-library'

interface ImportRow {
  id: number
  dataset_id: number
  format: string
  source: string
  report: string
  created_at: string
}

/** Stored import reports, newest first, optionally of one dataset. */
export function listImports(db: LibraryDb, datasetId?: number): ImportSummary[] {
  const rows = db
    .prepare(
      `SELECT id, dataset_id, format, source, report, created_at FROM imports
       WHERE (:datasetId IS NULL OR dataset_id = :datasetId) ORDER BY id DESC`,
    )
    .all({ datasetId: datasetId ?? null }) as ImportRow[]
  return rows.map((row) => {
    const report = JSON.parse(row.report) as {
      clips: number
      subjects: number
      labels: number
      flags: ImportFlagInfo[]
    }
    return {
      id: row.id,
      datasetId: row.dataset_id,
      format: row.format,
      source: row.source,
      createdAt: row.created_at,
      clips: report.clips,
      subjects: report.subjects,
      labels: report.labels,
      flags: report.flags,
    }
  })
}
