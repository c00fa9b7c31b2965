import { z } from 'zod'
import { method, result, type MethodSpec } from './contract'
import {
  absolutePathSchema,
  datasetIdsSchema,
  exportRequestSchema,
  fpsSchema,
  idSchema,
  importRequestSchema,
  nameSchema,
  thresholdSchema,
} from './schemas'
import type { DirectoryListing } from './files'
import type { AppInfo, ClipSummary, Dataset, ImportSummary, Job } from './domain'
import {
  CLIP_STATUSES,
  type ClipDetail,
  type ClipLabel,
  type Coder,
  type CoderCodes,
  type LibraryPage,
  type TypedLabelsResult,
} from './coding'
import type { AuKeyMap } from './facs'
import type { ReliabilityReport } from './reliability'
import {
  ML_BACKENDS,
  ML_PRESETS,
  ML_TRAIN_MODES,
  ML_VARIANTS,
  type BackendInfo,
  type BatchTable,
  type ModelDetail,
  type ModelSummary,
  type PredictionRow,
} from './ml'
import {
  magnifySettingsFields,
  magnifySettingsSchema,
  passBandRequestSchema,
  type ApexCurve,
  type MagnifiedFrames,
  type PassBand,
} from './signal'
import { spotRecordingRequestSchema } from './spot-recording'
import { SPOT_DECISIONS, type SpotCandidate } from './spotting'

const id = idSchema
const name = nameSchema

const empty = z.object({}).strict()

/** Absolute frame numbers as the file names carry them. */
const frameNumber = z.number().int().min(0).max(1_000_000_000)
/** An AU number (the catalogue decides which ones FACS defines). */
const au = z.number().int().min(1).max(99)
/** L(eft), R(ight), T(op), B(ottom); null is both sides. */
const side = z.enum(['L', 'R', 'T', 'B']).nullable()
const intensity = z.enum(['A', 'B', 'C', 'D', 'E']).nullable()
/** Free text a filter matches against. */
const filterText = z.string().trim().max(200)
/** A set of coders to compare. */
const coderIds = z.array(id).min(2).max(50)
/** One coder on one clip: what every labelling call acts on. */
const clipCoder = { clipId: id, coderId: id }

/** What training and ablation runs share: data, preset, folds, seed, schedule overrides. */
const mlRunFields = {
  /** The datasets whose clips are pooled (subjects stay apart per dataset). */
  datasetIds: datasetIdsSchema,
  preset: z.enum(ML_PRESETS),
  folds: z.number().int().min(2).max(20).default(4),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(0),
  epochs: z.number().int().min(1).max(1000).optional(),
  batchSize: z.number().int().min(2).max(256).optional(),
  classBalancedBce: z.boolean().optional(),
  /** Fine-tune or linear probe (pretrained starts only); the preset's default when left out. */
  trainMode: z.enum(ML_TRAIN_MODES).optional(),
  /** A keras-vggface SENET50 .h5 file the user has (absolute path). */
  weightsFile: z.string().min(1).max(4096).optional(),
  /** Labels of this coder in every dataset; else each dataset's adjudicated or import layer. */
  coderId: id.optional(),
  minPositives: z.number().int().min(1).max(100_000).default(15),
  backend: z.enum(ML_BACKENDS).default('auto'),
}

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

  // ── The coder's workstation: library, clip viewer, codes, history, reliability ──
  'library.page': method(
    z
      .object({
        datasetId: id,
        search: filterText.optional(),
        subject: filterText.optional(),
        emotion: filterText.optional(),
        au: au.optional(),
        coderId: id.optional(),
        status: z.enum(CLIP_STATUSES).optional(),
      })
      .strict(),
    result<LibraryPage>(),
    "A dataset's clips with status and thumbnail, filtered, and the filters' choices",
  ),
  'clips.get': method(
    z.object({ id }).strict(),
    result<ClipDetail>(),
    'A clip for coding: frames with cache keys and every coder’s codes',
  ),
  'clips.cacheFrames': method(
    z.object({ clipIds: z.array(id).min(1).max(10_000) }).strict(),
    result<Job>(),
    'Starts a job that puts the clips’ frames into the frame cache',
  ),
  'coders.list': method(empty, result<Coder[]>(), 'Lists coders'),
  'coders.create': method(
    z.object({ name, kind: z.enum(['human', 'adjudicated']).default('human') }).strict(),
    result<Coder>(),
    'Adds a coder (a person, or an adjudicated layer)',
  ),
  'markers.set': method(
    z
      .object({
        ...clipCoder,
        onset: frameNumber.nullable().optional(),
        apex: frameNumber.nullable().optional(),
        offset: frameNumber.nullable().optional(),
      })
      .strict()
      .refine((m) => m.onset !== undefined || m.apex !== undefined || m.offset !== undefined, {
        message: 'names no marker (onset, apex or offset)',
      }),
    result<CoderCodes>(),
    'Sets or clears a coder’s onset, apex or offset on a clip (saved and audited at once)',
  ),
  'labels.set': method(
    z.object({ ...clipCoder, au, side, intensity, fromSide: side.optional() }).strict(),
    result<CoderCodes>(),
    'Scores an AU with side and intensity, or moves it from `fromSide` to another side',
  ),
  'labels.remove': method(
    z.object({ ...clipCoder, au, side }).strict(),
    result<CoderCodes>(),
    'Removes a coder’s label of an AU on one side',
  ),
  'labels.list': method(
    z.object({ datasetId: id, coderIds: z.array(id).min(1).max(50).optional() }).strict(),
    result<ClipLabel[]>(),
    'Every AU label of a dataset’s clips (of these coders), ordered by clip, coder and AU',
  ),
  'labels.toggle': method(
    z.object({ ...clipCoder, au }).strict(),
    result<CoderCodes>(),
    'Scores an AU on both sides, or removes it when the coder has it',
  ),
  'labels.setTyped': method(
    z.object({ ...clipCoder, text: z.string().max(500) }).strict(),
    result<TypedLabelsResult>(),
    'Scores AUs typed in sheet notation (1+2+R12B), all of them or, when a token is bad, none',
  ),
  'auKeys.get': method(
    z.object({ datasetId: id }).strict(),
    result<AuKeyMap>(),
    'A dataset’s AU number keys (AUs new to the dataset take the next free key, or none)',
  ),
  'auKeys.set': method(
    z.object({ datasetId: id, au, key: z.number().int().min(0).max(9).nullable() }).strict(),
    result<AuKeyMap>(),
    'Binds a number key to an AU of a dataset (null: the AU has no key)',
  ),
  'history.undo': method(
    z.object(clipCoder).strict(),
    result<CoderCodes>(),
    'Undoes the coder’s last change on the clip',
  ),
  'history.redo': method(
    z.object(clipCoder).strict(),
    result<CoderCodes>(),
    'Redoes the change the coder undid last on the clip',
  ),
  'reliability.clip': method(
    z.object({ clipId: id, coderIds: coderIds.optional() }).strict(),
    result<ReliabilityReport>(),
    'Agreement of coders on one clip',
  ),
  'reliability.dataset': method(
    z.object({ datasetId: id, coderIds: coderIds.optional() }).strict(),
    result<ReliabilityReport>(),
    'Agreement of coders over a dataset: summary, per pair, per AU, per clip',
  ),

  // Import and export: long work, so each starts a job and answers with it.
  'datasets.import': method(
    importRequestSchema,
    result<Job>(),
    'Imports a database release, a coding sheet, a frame folder, videos or ELAN .eaf files (a job)',
  ),
  'datasets.export': method(
    exportRequestSchema,
    result<Job>(),
    'Exports a dataset as CSV, XLSX, a JSON manifest, key-frame folders, ELAN .eaf files or a BORIS table (a job)',
  ),
  'clips.faceCrop': method(
    z.object({ datasetId: id, clipIds: z.array(id).min(1).max(100_000).optional() }).strict(),
    result<Job>(),
    'Detects the face and eyes in each clip and stores the eye-aligned crop box (a job)',
  ),
  'imports.list': method(
    z.object({ datasetId: id.optional() }).strict(),
    result<ImportSummary[]>(),
    'Import reports with every flagged row, newest first',
  ),
  'files.list': method(
    z
      .object({
        /** The folder to list; the user's home folder when absent. */
        path: absolutePathSchema.optional(),
        /** Show only files ending in one of these (no dot, any case); folders always show. */
        extensions: z
          .array(z.string().regex(/^[A-Za-z0-9]{1,10}$/))
          .max(30)
          .optional(),
      })
      .strict(),
    result<DirectoryListing>(),
    'Lists a folder of the engine’s machine, for choosing files and folders',
  ),

  // ── Models: training, evaluation, ablation, prediction, Grad-CAM (IICL) ──
  'models.list': method(empty, result<ModelSummary[]>(), 'Lists the trained models of the library'),
  'models.get': method(
    z.object({ id }).strict(),
    result<ModelDetail>(),
    'A model with its training record and cross-validation metrics',
  ),
  'models.rename': method(
    z.object({ id, name }).strict(),
    result<ModelSummary>(),
    'Renames a model',
  ),
  'models.delete': method(
    z.object({ id, deleteFiles: z.boolean().default(false) }).strict(),
    result<{ id: number }>(),
    'Removes a model and its predictions from the library (and its folder when asked)',
  ),
  'ml.train': method(
    z.object({ ...mlRunFields, variant: z.enum(ML_VARIANTS), name: name.optional() }).strict(),
    result<Job>(),
    'Starts a job: subject-independent cross-validation, then a model on all clips',
  ),
  'ml.ablation': method(
    z.object({ ...mlRunFields, variants: z.array(z.enum(ML_VARIANTS)).min(1).max(6) }).strict(),
    result<Job>(),
    'Starts a job: several variants on the same folds and seeds (the paper’s Table 1)',
  ),
  'ml.evaluate': method(
    z.object({ modelId: id }).strict(),
    result<Job>(),
    'Starts a job that re-tests a model’s fold models on the current labels',
  ),
  'ml.predict': method(
    z
      .object({ modelId: id, datasetId: id, clipIds: z.array(id).min(1).max(100_000).optional() })
      .strict(),
    result<Job>(),
    'Starts a job: AU probabilities of a dataset’s clips, stored as predictions',
  ),
  'ml.gradCam': method(
    z
      .object({
        modelId: id,
        clipId: id,
        aus: z
          .array(z.string().regex(/^\d{1,2}$/))
          .min(1)
          .max(50)
          .optional(),
      })
      .strict(),
    result<Job>(),
    'Starts a job: Grad-CAM overlays of a clip’s apex per AU (frame cache keys in the result)',
  ),
  'ml.backendInfo': method(
    empty,
    result<BackendInfo>(),
    'The tensor backend training would use, and why',
  ),
  'predictions.accept': method(
    z.object({ ...clipCoder, modelId: id, au }).strict(),
    result<CoderCodes>(),
    'Adds an AU the model predicted to a coder’s labels (audited as accepted from the model)',
  ),
  'batch.analyze': method(
    z
      .object({
        /** A folder of videos; each subfolder is a participant. */
        folder: absolutePathSchema,
        modelId: id,
        /** Name of the dataset the videos go into; the folder's name by default. */
        dataset: name.optional(),
        /** Where the CSV and XLSX go; a folder beside the library by default. */
        outDir: absolutePathSchema.optional(),
        fps: fpsSchema.optional(),
        /** One decision threshold for every AU; the model's own thresholds when absent. */
        threshold: thresholdSchema.optional(),
      })
      .strict(),
    result<Job>(),
    'Starts a job: spots the events of a folder’s long videos (short ones are one clip each), predicts AUs at each apex, writes CSV and XLSX',
  ),
  'batch.table': method(
    z.object({ datasetId: id, modelId: id, threshold: thresholdSchema.optional() }).strict(),
    result<BatchTable>(),
    'The batch table of a dataset: per event its onset, apex, offset, kind and the model’s probability per AU, and the counts per participant',
  ),
  'predictions.list': method(
    z
      .object({
        modelId: id.optional(),
        clipId: id.optional(),
        datasetId: id.optional(),
        limit: z.number().int().min(1).max(100_000).default(10_000),
        offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
      })
      .strict(),
    result<PredictionRow[]>(),
    'Stored predictions, filtered by model, clip or dataset',
  ),

  // ── Signal processing: Eulerian magnification and apex spotting ──
  'signal.magnify': method(
    z.object({ clipId: id, ...magnifySettingsFields }).strict(),
    result<Job>(),
    'Starts a job that magnifies a whole clip into the frame cache (skipped when cached)',
  ),
  'signal.magnified': method(
    z.object({ clipId: id, params: magnifySettingsSchema.optional() }).strict(),
    result<MagnifiedFrames | null>(),
    'The magnified frames of a clip for these settings, or null while not all are cached',
  ),
  'signal.apex': method(
    z.object({ clipId: id }).strict(),
    result<Job>(),
    'Starts a job that computes the apex-spotting score curve of a clip (skipped when cached)',
  ),
  'signal.apexCurve': method(
    z.object({ clipId: id }).strict(),
    result<ApexCurve | null>(),
    'The cached apex-spotting curve of a clip and its suggested apex, or null',
  ),
  'signal.passBand': method(
    passBandRequestSchema,
    result<PassBand>(),
    'The pass band in Hz of the IIR magnification filter at a frame rate',
  ),
  'signal.fillMissingApex': method(
    z.object({ datasetId: id, coderId: id.optional() }).strict(),
    result<Job>(),
    'Starts a job that spots the apex of clips coded without one and stores it as estimated',
  ),
  'spotting.candidates': method(
    z.object({ coderId: id, datasetId: id.optional(), recordingId: id.optional() }).strict(),
    result<SpotCandidate[]>(),
    'Lists a coder’s spotting queue: the spotted intervals of a dataset or recording, with their decisions',
  ),
  'spotting.decide': method(
    z.object({ ...clipCoder, status: z.enum(SPOT_DECISIONS) }).strict(),
    result<SpotCandidate>(),
    'Accepts or rejects a spotted interval, or takes the decision back (pending); audited',
  ),
  'spotting.adjust': method(
    z
      .object({
        ...clipCoder,
        onset: frameNumber.optional(),
        apex: frameNumber.optional(),
        offset: frameNumber.optional(),
      })
      .strict()
      .refine((m) => m.onset !== undefined || m.apex !== undefined || m.offset !== undefined, {
        message: 'names no marker (onset, apex or offset)',
      }),
    result<SpotCandidate>(),
    'Moves the coder’s onset, apex or offset of a spotted interval (from the spotter’s when unset); audited',
  ),
  'spotting.spotRecording': method(
    spotRecordingRequestSchema,
    result<Job>(),
    'Starts a job that imports a long video as a recording and spots its intervals into a dataset',
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
