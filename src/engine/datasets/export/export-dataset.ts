import type { LibraryDb } from '../../db/open-library'
import { exportEaf } from '../eaf/eaf-export'
import { exportBoris } from './boris-export'
import { exportCsv, exportXlsx } from './export-sheet'
import { exportKeyFrames } from './key-frames'
import { exportManifest } from './manifest'

/**
 * The export formats: sheets, a JSON manifest, a folder tree of key frames, ELAN documents
 * (a folder of .eaf files, one per clip) or a BORIS aggregated-events table (.csv).
 */
export type ExportFormat = 'csv' | 'xlsx' | 'json' | 'frames' | 'eaf' | 'boris'

/** One export request, as the CLI and the contract make it. */
export interface ExportRequest {
  format: ExportFormat
  dataset: string
  /** A file for csv/xlsx/json/boris, a folder for frames and eaf. */
  out: string
  coder?: string
}

/** What an export wrote: where, and how many rows or files. */
export interface ExportSummary {
  format: ExportFormat
  out: string
  count: number
  skipped: unknown[]
}

/** Runs the exporter of `request.format`. */
export async function exportDataset(db: LibraryDb, request: ExportRequest): Promise<ExportSummary> {
  const { dataset, coder, out, format } = request
  switch (format) {
    case 'csv':
    case 'xlsx': {
      const result =
        format === 'csv'
          ? exportCsv(db, { dataset, out, coder })
          : await exportXlsx(db, { dataset, out, coder })
      return { format, out: result.file, count: result.rows, skipped: result.skipped }
    }
    case 'json':
      return { format, out: exportManifest(db, { dataset, out, coder }), count: 1, skipped: [] }
    case 'frames': {
      const result = await exportKeyFrames(db, { dataset, outDir: out, coder })
      return { format, out: result.outDir, count: result.files, skipped: result.skipped }
    }
    case 'eaf': {
      const result = exportEaf(db, { dataset, outDir: out, coder })
      return { format, out: result.outDir, count: result.files, skipped: result.skipped }
    }
    case 'boris': {
      const result = exportBoris(db, { dataset, out, coder })
      return { format, out: result.file, count: result.rows, skipped: result.skipped }
    }
  }
}
