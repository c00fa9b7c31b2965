import { describe, expect, it } from 'vitest'
import { subjectFolds } from '../../../src/engine/ml/eval/subject-folds'

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

  it('refuse more folds than subjects', () => {
    expect(() => subjectFolds(['a', 'b', 'b'], 3, 0)).toThrow(/at least 3 subjects/)
  })
})
