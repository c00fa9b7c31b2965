import { describe, expect, it } from 'vitest'
import { MAIN_AUS, planSyntheticClips } from '../../../src/engine/datasets/synthetic/clip-plan'
import { envelope } from '../../../src/engine/datasets/synthetic/clip-render'

describe('planSyntheticClips', () => {
  it('gives every main AU at least 15 positives over 12 subjects × 8 clips, whatever the seed', () => {
    for (const seed of [1, 2, 3, 99, 2024]) {
      const clips = planSyntheticClips(seed, Array(12).fill(8), 200).flat()
      for (const au of MAIN_AUS) {
        expect(
          clips.filter((c) => c.aus.some((a) => a.au === au)).length,
          `AU${au}, seed ${seed}`,
        ).toBeGreaterThanOrEqual(15)
      }
    }
  })

  it('plans non-empty AU sets with valid timing and a first frame other than 1', () => {
    const clips = planSyntheticClips(5, [10, 12, 8], 200).flat()
    for (const c of clips) {
      expect(c.aus.length).toBeGreaterThan(0)
      expect(new Set(c.aus.map((a) => a.au)).size).toBe(c.aus.length)
      expect(0 < c.onsetIndex && c.onsetIndex < c.apexIndex && c.apexIndex < c.offsetIndex).toBe(
        true,
      )
      expect(c.offsetIndex).toBeLessThan(c.frameCount)
      expect(c.frameCount >= 30 && c.frameCount <= 60).toBe(true)
      expect(c.firstFrame).toBeGreaterThan(1)
    }
  })

  it('scales clip length with the frame rate', () => {
    const clips = planSyntheticClips(5, [20], 90).flat()
    for (const c of clips) expect(c.frameCount >= 13 && c.frameCount <= 27).toBe(true)
  })

  it('has realistic co-occurrence: AU2 mostly with AU1', () => {
    const clips = planSyntheticClips(11, Array(16).fill(12), 200).flat()
    const withTwo = clips.filter((c) => c.aus.some((a) => a.au === 2))
    const both = withTwo.filter((c) => c.aus.some((a) => a.au === 1))
    expect(both.length / withTwo.length).toBeGreaterThan(0.6)
  })

  it('gives subjects different base rates', () => {
    const plans = planSyntheticClips(8, Array(12).fill(16), 200)
    const rates = plans.map(
      (clips) => clips.filter((c) => c.aus.some((a) => a.au === 4)).length / clips.length,
    )
    expect(Math.max(...rates) - Math.min(...rates)).toBeGreaterThan(0.2)
  })

  it('is deterministic', () => {
    expect(planSyntheticClips(4, [3, 3], 200)).toEqual(planSyntheticClips(4, [3, 3], 200))
    expect(planSyntheticClips(4, [3, 3], 200)).not.toEqual(planSyntheticClips(5, [3, 3], 200))
  })
})

describe('envelope', () => {
  it('rises smoothly to 1 at the apex and falls back to 0 at the offset', () => {
    const plan = planSyntheticClips(1, [1], 200)[0][0]
    const values = Array.from({ length: plan.frameCount }, (_, i) => envelope(plan, i))
    expect(values[plan.onsetIndex]).toBe(0)
    expect(values[plan.apexIndex]).toBe(1)
    expect(values[plan.offsetIndex]).toBe(0)
    for (let i = plan.onsetIndex; i < plan.apexIndex; i++)
      expect(values[i + 1]).toBeGreaterThan(values[i])
    for (let i = plan.apexIndex; i < plan.offsetIndex; i++)
      expect(values[i + 1]).toBeLessThan(values[i])
    expect(Math.max(...values)).toBe(1)
  })
})
