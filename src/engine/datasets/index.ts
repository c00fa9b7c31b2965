/**
 * Datasets: importers (one module per format, plus the `importDataset` dispatcher), sheet
 * parsers, exporters and the synthetic micro-expression generator.
 */
export { importDataset, type ImportRequest } from './import/import-dataset'
export { importCasme2, CASME2_FPS, type Casme2ImportOptions } from './import/casme2'
export { importSamm, SAMM_FPS } from './import/samm'
export { importCasme3, CASME3_FPS } from './import/casme3'
export { importMmew, MMEW_FPS } from './import/mmew'
export { importPlainCsv, PLAIN_SHEET_FPS, VIDEO_EXTENSIONS } from './import/plain-csv'
export {
  importFolderClip,
  FOLDER_CLIP_FPS,
  type FolderClipImportOptions,
} from './import/folder-clip'
export { importVideos, type VideoImportOptions } from './import/videos'
export type { SheetImportOptions } from './import/sheet-import'
export type { ImportFormat, ImportReport } from './import/import-plan'
export type { ImportFlag, ImportFlagCode } from './flags'
export { readSheetFile } from './sheets/read-sheet'
export { parseCsv } from './sheets/csv'
export { parseCasme2Sheet } from './sheets/casme2-sheet'
export { parseSammSheet } from './sheets/samm-sheet'
export { parseCasme3Sheet } from './sheets/casme3-sheet'
export { parseMmewSheet } from './sheets/mmew-sheet'
export { parsePlainSheet } from './sheets/plain-sheet'
export type { CodedRow, ParsedSheet, CoderKind } from './sheets/coded-sheet'
export type { SheetData, SheetRow, SheetCell } from './sheets/sheet'
export {
  exportCsv,
  exportXlsx,
  type SheetExportOptions,
  type SheetExportResult,
} from './export/export-sheet'
export { exportManifest, datasetManifest, type DatasetManifest } from './export/manifest'
export {
  exportKeyFrames,
  rawFrameSource,
  type KeyFrameSource,
  type KeyFrameExportOptions,
  type KeyFrameExportResult,
} from './export/key-frames'
export {
  generateSyntheticDataset,
  type SyntheticDatasetOptions,
  type SyntheticDataset,
  type SyntheticClip,
  type SyntheticSubject,
} from './synthetic/generate'
export { readImageSize } from './frames/image-header'
