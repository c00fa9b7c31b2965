import { describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { differenceImage, differenceToDisplay } from '../../../src/engine/signal'

describe('difference images', () => {
  it('subtract the onset frame', () => {
    const diff = differenceImage(
      Float32Array.from([0.5, 0.25, 1]),
      Float32Array.from([0.25, 0.5, 1]),
    )
    expect(Array.from(diff)).toEqual([0.25, -0.25, 0])
  })

  it('map the largest change to white or black and no change to mid-grey', () => {
    const shown = differenceToDisplay(Float32Array.from([0.2, -0.1, 0, -0.2]))
    expect(Array.from(shown)).toEqual([1, 0.25, 0.5, 0])
  })

  it('clip to [0, 1] with a fixed scale', () => {
    const shown = differenceToDisplay(Float32Array.from([0.5, -0.05, 0.05]), 0.1)
    expect(Array.from(shown).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([1, 0.25, 0.75])
  })

  it('show an all-zero difference as mid-grey', () => {
    expect(Array.from(differenceToDisplay(new Float32Array(2)))).toEqual([0.5, 0.5])
  })

  it('reject frames of different sizes and a scale that is not positive', () => {
    expect(() => differenceImage(new Float32Array(3), new Float32Array(2))).toThrow(AppError)
    expect(() => differenceToDisplay(new Float32Array(3), 0)).toThrow(AppError)
  })
})
