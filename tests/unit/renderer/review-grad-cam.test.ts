import { describe, expect, it } from 'vitest'
import {
  collectGradCamResults,
  gradCamKey,
  jobModelDir,
  readGradCamResult,
} from '../../../src/renderer/src/review/grad-cam'

const key = 'a'.repeat(64)

describe('readGradCamResult', () => {
  it('reads a Grad-CAM job result', () => {
    const result = {
      clipId: 3,
      frame: 41,
      apexEstimated: false,
      images: [{ au: '4', key, peak: 0.2, probability: 0.7 }],
    }
    expect(readGradCamResult(result)).toEqual(result)
  })
  it('refuses anything else', () => {
    expect(readGradCamResult(null)).toBeNull()
    expect(readGradCamResult({ clipId: 3, frame: 41 })).toBeNull()
    expect(
      readGradCamResult({
        clipId: 3,
        frame: 41,
        images: [{ au: '4', key: 'not-a-key', peak: 0, probability: 0 }],
      }),
    ).toBeNull()
    expect(readGradCamResult({ clipId: '3', frame: 41, images: [] })).toBeNull()
  })
})

describe('jobModelDir', () => {
  it('reads the model folder of a job input', () => {
    expect(jobModelDir({ modelDir: '/m', clipId: 1 })).toBe('/m')
    expect(jobModelDir({ clipId: 1 })).toBeNull()
    expect(jobModelDir(undefined)).toBeNull()
  })
})

describe('collectGradCamResults', () => {
  const result = (clipId: number, au: string) => ({
    clipId,
    frame: 7,
    apexEstimated: false,
    images: [{ au, key, peak: 1, probability: 0.5 }],
  })
  const job = (
    clipId: number,
    au: string,
    extra: Partial<{ status: string; kind: string }> = {},
  ) => ({
    kind: 'ml.gradCam',
    status: 'succeeded',
    input: { modelDir: '/m', clipId },
    result: result(clipId, au),
    ...extra,
  })
  it('keys succeeded Grad-CAM jobs by model folder and clip, newest first', () => {
    const results = collectGradCamResults(new Map(), [
      job(1, '4'),
      job(1, '12'),
      job(2, '4', { status: 'failed' }),
      job(3, '4', { kind: 'ml.predict' }),
    ])
    expect([...results.keys()]).toEqual([gradCamKey('/m', 1)])
    expect(results.get('/m|1')!.images[0].au).toBe('4')
  })
  it('keeps known results unless told to override them', () => {
    const known = new Map([['/m|1', result(1, '7')]])
    expect(collectGradCamResults(known, [job(1, '4')]).get('/m|1')!.images[0].au).toBe('7')
    expect(collectGradCamResults(known, [job(1, '4')], true).get('/m|1')!.images[0].au).toBe('4')
    expect(known.get('/m|1')!.images[0].au).toBe('7')
  })
})
