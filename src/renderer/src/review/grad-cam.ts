/** One AU's Grad-CAM overlay as an ml.gradCam job answers it. */
export interface GradCamImage {
  /** AU number as the model names it ('4'). */
  au: string
  /** Frame-cache key of the overlay PNG. */
  key: string
  /** Largest map value before normalisation (0: the map holds no evidence). */
  peak: number
  probability: number
}

/** What an ml.gradCam job answers: the clip, the apex frame it explained, one image per AU. */
export interface GradCamResult {
  clipId: number
  frame: number
  /** The apex was spotted, not coded. */
  apexEstimated: boolean
  images: GradCamImage[]
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

function readImage(value: unknown): GradCamImage | null {
  if (!isObject(value)) return null
  const { au, key, peak, probability } = value
  if (typeof au !== 'string' || typeof key !== 'string' || !/^[0-9a-f]{64}$/.test(key)) return null
  if (!isNumber(peak) || !isNumber(probability)) return null
  return { au, key, peak, probability }
}

/**
 * The result of a finished ml.gradCam job (job.result is untyped on the wire), or null
 * when it is not one.
 */
export function readGradCamResult(result: unknown): GradCamResult | null {
  if (!isObject(result) || !Array.isArray(result.images)) return null
  const { clipId, frame, apexEstimated } = result
  if (!isNumber(clipId) || !isNumber(frame)) return null
  const images = result.images.map(readImage)
  if (images.some((i) => i === null)) return null
  return {
    clipId,
    frame,
    apexEstimated: apexEstimated === true,
    images: images as GradCamImage[],
  }
}

/** The model folder an ml.gradCam or ml.predict job ran (its input's modelDir), or null. */
export function jobModelDir(input: unknown): string | null {
  return isObject(input) && typeof input.modelDir === 'string' ? input.modelDir : null
}

/** A finished job as collectGradCamResults reads it. */
export interface FinishedJob {
  kind: string
  status: string
  input: unknown
  result: unknown
}

/** Where a Grad-CAM result is kept: `<model folder>|<clip id>`. */
export function gradCamKey(modelDir: string, clipId: number): string {
  return `${modelDir}|${clipId}`
}

/**
 * The results of succeeded ml.gradCam jobs (newest first, as jobs.list answers) added to
 * `known`, keyed by gradCamKey; a newer job's result wins, and `known` is left untouched.
 */
export function collectGradCamResults(
  known: ReadonlyMap<string, GradCamResult>,
  jobs: readonly FinishedJob[],
  override = false,
): ReadonlyMap<string, GradCamResult> {
  const results = new Map(known)
  const seen = new Set<string>()
  for (const job of jobs) {
    if (job.kind !== 'ml.gradCam' || job.status !== 'succeeded') continue
    const dir = jobModelDir(job.input)
    const result = readGradCamResult(job.result)
    if (dir === null || result === null) continue
    const key = gradCamKey(dir, result.clipId)
    if (seen.has(key) || (!override && known.has(key))) continue
    seen.add(key)
    results.set(key, result)
  }
  return results
}
