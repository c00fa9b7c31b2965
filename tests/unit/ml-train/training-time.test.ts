import { describe, expect, it } from 'vitest'
import { earlierRunsMs, TrainingClock } from '../../../src/engine/ml/train/training-time'

/** A clock that reads the given times in turn. */
function times(...ms: number[]): () => number {
  let i = 0
  return () => ms[Math.min(i++, ms.length - 1)]
}

describe('TrainingClock', () => {
  it("adds this run's time to the earlier runs' a resumed job saved", () => {
    const saved: unknown[] = []
    const ctx = {
      resumeState: { started: true, trainingRunsMs: [4_000] },
      saveState: (s: unknown) => saved.push(s),
    }
    const clock = new TrainingClock(ctx, times(10_000, 12_500, 13_000))
    clock.save({ started: true, fold: 1, epochsDone: 2 })
    expect(saved).toEqual([
      { started: true, fold: 1, epochsDone: 2, trainingRunsMs: [4_000, 2_500] },
    ])
    expect(clock.time()).toEqual({ trainingMs: 7_000, trainingRunsMs: [4_000, 3_000] })
  })

  it('saves the last state again with the time when a run stops, and nothing before a first save', () => {
    const saved: unknown[] = []
    const fresh = new TrainingClock(
      { resumeState: undefined, saveState: (s) => saved.push(s) },
      times(0, 50),
    )
    fresh.saveStopped()
    expect(saved).toEqual([])
    fresh.save({ started: true })
    fresh.saveStopped()
    expect(saved).toEqual([
      { started: true, trainingRunsMs: [50] },
      { started: true, trainingRunsMs: [50] },
    ])
  })

  it('reads no earlier time from a state without one or with a bad one', () => {
    expect(earlierRunsMs(undefined)).toEqual([])
    expect(earlierRunsMs({ started: true })).toEqual([])
    expect(earlierRunsMs({ trainingRunsMs: [1, -2] })).toEqual([])
    expect(earlierRunsMs({ trainingRunsMs: [1, 2] })).toEqual([1, 2])
  })
})
