import { describe, expect, it } from 'vitest'
import { subjectFolds, subjectKey } from '../../../src/engine/ml/eval/subject-folds'

const SUBJECTS = ['s1', 's1', 's1', 's2', 's3', 's3', 's4', 's5', 's5', 's5', 's5', 's6', 's7']

describe('subject-independent folds', () => {
  it('assign each subject to one fold, use every fold and balance clip counts', () => {
    const folds = subjectFolds(SUBJECTS, 4, 0)
    expect(Object.keys(folds).sort()).toEqual(['s1', 's2', 's3', 's4', 's5', 's6', 's7'])
    const sizes = [0, 0, 0, 0]
    for (const s of SUBJECTS) sizes[folds[s]] += 1
    expect(sizes.every((n) => n > 0)).toBe(true)
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(2)
    // A test fold never shares a subject with its training folds.
    for (let f = 0; f < 4; f++) {
      const test = new Set(SUBJECTS.filter((s) => folds[s] === f))
      const train = new Set(SUBJECTS.filter((s) => folds[s] !== f))
      expect([...test].some((s) => train.has(s))).toBe(false)
    }
  })

  it('are reproducible by seed', () => {
    expect(subjectFolds(SUBJECTS, 3, 9)).toEqual(subjectFolds(SUBJECTS, 3, 9))
  })

  it('tell apart the subjects of pooled datasets that share a code', () => {
    const clips = (
      [
        [1, 'sub01'],
        [1, 'sub01'],
        [2, 'sub01'],
        [1, 'sub02'],
        [2, 'sub02'],
      ] as const
    ).map(([dataset, code]) => subjectKey(dataset, code))
    const folds = subjectFolds(clips, 4, 0)
    expect(Object.keys(folds).sort()).toEqual(['1/sub01', '1/sub02', '2/sub01', '2/sub02'])
    // Four subjects in four folds: sub01 of dataset 1 and sub01 of dataset 2 are apart.
    expect(new Set(Object.values(folds)).size).toBe(4)
  })

  it('fold one dataset’s subject keys as they folded its subject codes', () => {
    const byCode = subjectFolds(SUBJECTS, 4, 3)
    const byKey = subjectFolds(
      SUBJECTS.map((s) => subjectKey(5, s)),
      4,
      3,
    )
    expect(byKey).toEqual(
      Object.fromEntries(Object.entries(byCode).map(([s, f]) => [subjectKey(5, s), f])),
    )
  })

  it('refuse more folds than subjects', () => {
    expect(() => subjectFolds(['a', 'b', 'b'], 3, 0)).toThrow(/at least 3 subjects/)
  })
})
