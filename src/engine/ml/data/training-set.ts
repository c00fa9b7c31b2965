import { AppError } from '../../../shared/errors'
import type { LibraryDb } from '../../db/open-library'
import { throwIfCancelled } from '../../media/work'
import { apexCurveOf, apexWithin } from '../../signal-jobs/apex-curves'
import { storeEstimatedApex } from './apex-spotting'
import { clipFrameNumbers, clipFrames } from './clip-images'
import {
  labelVector,
  readCodedClips,
  selectAus,
  auPositiveCounts,
  type CodedClip,
} from './coded-clips'
import { resizeRgb } from './image-ops'
import {
  closeToApexCandidates,
  closeToApexRadius,
  trainingFrameNumbers,
  type KeyFrameSpan,
} from './key-frames'
import { subjectKey } from '../eval/subject-folds'
import { datasetLabel, resolveLabelCoder, type LabelCoder } from './label-coder'
import { cachedMagnifiedFrames, TRAINING_MAGNIFICATION } from './magnified-frames'

/** One clip ready for training and testing: labels and resized, magnified key frames. */
export interface TrainingClip {
  clipId: number
  datasetId: number
  subjectId: number
  subject: string
  /** The subject across pooled datasets ({@link subjectKey}): what folds group by. */
  subjectKey: string
  name: string
  /** 0/1 per AU of the set's auList. */
  labels: Uint8Array
  onset: number
  apex: number
  /** The apex was spotted (the coder gave none), now stored with apex_estimated = 1. */
  apexEstimated: boolean
  /** Close-to-apex frames (apex ± 3, clamped, never the apex). */
  closeCandidates: number[]
  /** Magnified frames resized to resizeSize² (RGB bytes), by frame number. */
  frames: Map<number, Uint8Array>
}

/** The coder whose labels a dataset's clips were learnt from. */
export interface LabelLayer {
  datasetId: number
  coder: LabelCoder
}

/**
 * The pooled clips of one or more datasets, each labelled by its own label layer, ready to
 * train on.
 */
export interface TrainingSet {
  datasetIds: number[]
  /** The label layer of each dataset, in datasetIds order. */
  labelLayers: LabelLayer[]
  /** The AUs learnt, ascending ("1", "2", …). */
  auList: string[]
  /** Positive clips of every AU over the pooled clips (selected or not). */
  auCounts: Record<string, number>
  resizeSize: number
  /** The clips of every dataset, in datasetIds order, then library order. */
  clips: TrainingClip[]
  /** Clips the spotter gave an apex to. */
  spottedApexes: number
}

/** Options of {@link loadTrainingSet}. */
export interface LoadTrainingSetOptions {
  /** The datasets to pool, each once. */
  datasetIds: readonly number[]
  /**
   * One coder (id or name) for every dataset, or a coder id per dataset id (a stored model's
   * layers); each dataset's default layer (resolveLabelCoder's) when left out.
   */
  coder?: number | string | Readonly<Record<number, number>>
  /** AUs to learn; when left out, those with at least `minPositives` positive pooled clips. */
  auList?: readonly string[]
  minPositives: number
  /** Side the magnified key frames are resized to. */
  resizeSize: number
  signal?: AbortSignal
  onClip?: (done: number, total: number, clip: CodedClip) => void
}

function nearestExisting(n: number, available: readonly number[]): number {
  let best = available[0]
  for (const a of available) if (Math.abs(a - n) < Math.abs(best - n)) best = a
  return best
}

/**
 * Prepares the key frames of one coded clip: spots and stores the apex when the coder gave
 * none (or one outside the clip), then magnifies the clip (cached per clip and parameters)
 * and returns onset, apex, close-to-apex candidates and their magnified frames.
 */
export async function prepareClipKeyFrames(
  db: LibraryDb,
  frameCacheDir: string,
  clip: CodedClip,
  coderId: number | null,
  signal?: AbortSignal,
) {
  const available = clipFrameNumbers(db, clip.clipId)
  if (available.length === 0) {
    throw new AppError('not_found', `Clip ${clip.subject}/${clip.name} has no frames`, {
      clipId: clip.clipId,
    })
  }
  const first = available[0]
  const last = available[available.length - 1]
  // Two streaming passes when the apex is spotted (the curve needs every frame before the
  // apex is known; magnification then stops at the last key frame), one frame held at a time.
  const frames = () => clipFrames(db, clip.clipId, frameCacheDir, signal)
  const onset = nearestExisting(clip.onset ?? first, available)
  const offset = clip.offset !== null && clip.offset >= onset ? clip.offset : last
  const bounds = { low: Math.max(first, onset), high: Math.min(last, offset) }
  let apex = clip.apex
  let apexEstimated = clip.apexEstimated
  if (apex === null || apex < first || apex > last) {
    const { curve } = await apexCurveOf(db, frameCacheDir, clip.clipId, { signal })
    apex = apexWithin(curve, bounds.low <= bounds.high ? bounds : undefined)
    apexEstimated = true
    if (coderId !== null) storeEstimatedApex(db, clip.clipId, coderId, apex)
  }
  apex = nearestExisting(apex, available)
  const span: KeyFrameSpan = { onset, apex, low: bounds.low, high: bounds.high }
  const radius = closeToApexRadius(clip.fps)
  const closeCandidates = closeToApexCandidates(span, radius, new Set(available))
  throwIfCancelled(signal, `Preparing clip ${clip.subject}/${clip.name}`)
  const magnified = await cachedMagnifiedFrames(
    db,
    frameCacheDir,
    clip.clipId,
    trainingFrameNumbers(span, closeCandidates),
    frames,
    TRAINING_MAGNIFICATION,
  )
  return { onset, apex, apexEstimated, closeCandidates, frames: magnified }
}

/** The coder asked for one dataset: the same for all, or the dataset's entry. */
function requestedCoder(
  coder: LoadTrainingSetOptions['coder'],
  datasetId: number,
): number | string | undefined {
  return typeof coder === 'object' ? coder[datasetId] : coder
}

/**
 * Loads one or more datasets for training: each dataset's label layer and its clips, pooled;
 * the AUs to learn (over the pooled clips); and per clip the magnified onset, apex and
 * close-to-apex frames resized to `resizeSize`.
 */
export async function loadTrainingSet(
  db: LibraryDb,
  frameCacheDir: string,
  options: LoadTrainingSetOptions,
): Promise<TrainingSet> {
  const labelLayers: LabelLayer[] = options.datasetIds.map((datasetId) => ({
    datasetId,
    coder: resolveLabelCoder(db, datasetId, requestedCoder(options.coder, datasetId)),
  }))
  const all = labelLayers.flatMap((layer) =>
    readCodedClips(db, layer.coder.id, { datasetId: layer.datasetId }).map((clip) => ({
      clip,
      coderId: layer.coder.id,
    })),
  )
  const coded = all.map((c) => c.clip)
  const auCounts = Object.fromEntries(
    [...auPositiveCounts(coded)].map(([au, n]) => [String(au), n]),
  )
  const auList = options.auList ? [...options.auList] : selectAus(coded, options.minPositives)
  if (auList.length === 0) {
    const sources = labelLayers
      .map((l) => `${datasetLabel(db, l.datasetId)} (coder ${l.coder.name})`)
      .join(', ')
    throw new AppError(
      'invalid_input',
      `No AU has ${options.minPositives} or more positive clips in ${sources}; counts: ${JSON.stringify(auCounts)}`,
      { datasetIds: options.datasetIds, minPositives: options.minPositives, auCounts },
    )
  }
  const clips: TrainingClip[] = []
  let spottedApexes = 0
  for (const [i, { clip, coderId }] of all.entries()) {
    throwIfCancelled(options.signal, 'Loading the training clips')
    const prepared = await prepareClipKeyFrames(db, frameCacheDir, clip, coderId, options.signal)
    if (prepared.apexEstimated && !clip.apexEstimated) spottedApexes++
    const frames = new Map<number, Uint8Array>()
    for (const [n, image] of prepared.frames) {
      frames.set(n, resizeRgb(image, options.resizeSize, options.resizeSize))
    }
    clips.push({
      clipId: clip.clipId,
      datasetId: clip.datasetId,
      subjectId: clip.subjectId,
      subject: clip.subject,
      subjectKey: subjectKey(clip.datasetId, clip.subject),
      name: clip.name,
      labels: labelVector(clip, auList),
      onset: prepared.onset,
      apex: prepared.apex,
      apexEstimated: prepared.apexEstimated,
      closeCandidates: prepared.closeCandidates,
      frames,
    })
    options.onClip?.(i + 1, all.length, clip)
  }
  return {
    datasetIds: [...options.datasetIds],
    labelLayers,
    auList,
    auCounts,
    resizeSize: options.resizeSize,
    clips,
    spottedApexes,
  }
}
