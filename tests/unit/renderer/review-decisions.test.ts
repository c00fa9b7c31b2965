import { describe, expect, it } from 'vitest'
import {
  cursorAfterChange,
  decisionConfidence,
  disagreementQueue,
  modelSaysYes,
  stepIndex,
  verdict,
} from '../../../src/renderer/src/review/decisions'

describe('modelSaysYes', () => {
  it('says yes from the threshold up', () => {
    expect(modelSaysYes(0.5, 0.5)).toBe(true)
    expect(modelSaysYes(0.4999, 0.5)).toBe(false)
    expect(modelSaysYes(0, 0)).toBe(true)
    expect(modelSaysYes(0.99, 1)).toBe(false)
  })
})

describe('decisionConfidence', () => {
  it('is the distance from the threshold as a share of the way to the end', () => {
    // t = 0.5: yes at 0.8 → 0.3 / 0.5; no at 0.1 → 0.4 / 0.5.
    expect(decisionConfidence(0.8, 0.5)).toBeCloseTo(0.6, 12)
    expect(decisionConfidence(0.1, 0.5)).toBeCloseTo(0.8, 12)
    // t = 0.8: yes at 0.9 → 0.1 / 0.2; no at 0.2 → 0.6 / 0.8.
    expect(decisionConfidence(0.9, 0.8)).toBeCloseTo(0.5, 12)
    expect(decisionConfidence(0.2, 0.8)).toBeCloseTo(0.75, 12)
  })
  it('is 0 at the threshold and 1 at the ends', () => {
    expect(decisionConfidence(0.3, 0.3)).toBe(0)
    expect(decisionConfidence(1, 0.3)).toBe(1)
    expect(decisionConfidence(0, 0.3)).toBe(1)
    expect(decisionConfidence(1, 1)).toBe(1)
    expect(decisionConfidence(0, 1)).toBe(1)
    expect(decisionConfidence(0.25, 0)).toBeCloseTo(0.25, 12)
  })
})

describe('verdict', () => {
  it('names the four cases', () => {
    expect(verdict(true, true)).toBe('both-yes')
    expect(verdict(false, false)).toBe('both-no')
    expect(verdict(true, false)).toBe('model-only')
    expect(verdict(false, true)).toBe('coder-only')
  })
})

describe('disagreementQueue', () => {
  const clips = [
    {
      clipId: 10,
      probabilities: new Map([
        [1, 0.9],
        [4, 0.2],
        [12, 0.55],
      ]),
    },
    {
      clipId: 11,
      probabilities: new Map([
        [1, 0.3],
        [4, 0.95],
        [12, 0.9],
      ]),
    },
  ]
  it('lists model-only and coder-only cells, most confident first', () => {
    // Coder: clip 10 has AU 4 and 12, clip 11 has AU 1 and 12.
    const coder = new Map([
      [10, new Set([4, 12])],
      [11, new Set([1, 12])],
    ])
    const queue = disagreementQueue(clips, coder, () => 0.5)
    // 10/AU1 model-only conf 0.8; 10/AU4 coder-only conf 0.6; 11/AU1 coder-only conf 0.4;
    // 11/AU4 model-only conf 0.9. 10/AU12 and 11/AU12 agree.
    expect(queue.map((d) => [d.clipId, d.au, d.kind])).toEqual([
      [11, 4, 'model-only'],
      [10, 1, 'model-only'],
      [10, 4, 'coder-only'],
      [11, 1, 'coder-only'],
    ])
    expect(queue[0].confidence).toBeCloseTo(0.9, 12)
    expect(queue[3].confidence).toBeCloseTo(0.4, 12)
  })
  it('treats a clip the coder never coded as all no, and follows the threshold', () => {
    const queue = disagreementQueue(clips, new Map(), () => 0.6)
    // Yes at 0.6: 10/AU1 (0.75), 11/AU4 (0.875), 11/AU12 (0.75); 10/AU12 at 0.55 is a no.
    expect(queue.map((d) => [d.clipId, d.au])).toEqual([
      [11, 4],
      [10, 1],
      [11, 12],
    ])
  })
  it("decides each AU at its own threshold (a model's chosen ones)", () => {
    // AU1 at 0.8: 10/AU1 (0.9) stays a yes; AU4 at 0.99: 11/AU4 (0.95) becomes a no;
    // AU12 at 0.2: both clips' AU12 are yeses.
    const perAu = new Map([
      [1, 0.8],
      [4, 0.99],
      [12, 0.2],
    ])
    const queue = disagreementQueue(clips, new Map(), (au) => perAu.get(au)!)
    // Confidence: 11/AU12 0.7/0.8, 10/AU1 0.1/0.2, 10/AU12 0.35/0.8.
    expect(queue.map((d) => [d.clipId, d.au])).toEqual([
      [11, 12],
      [10, 1],
      [10, 12],
    ])
  })
  it('is empty when they agree everywhere', () => {
    const coder = new Map([
      [10, new Set([1, 12])],
      [11, new Set([4, 12])],
    ])
    expect(disagreementQueue(clips, coder, () => 0.5)).toEqual([])
  })
})

describe('stepIndex', () => {
  it('moves and stops at the ends', () => {
    expect(stepIndex(0, 3, 1)).toBe(1)
    expect(stepIndex(2, 3, 1)).toBe(2)
    expect(stepIndex(0, 3, -1)).toBe(0)
    expect(stepIndex(-1, 3, 1)).toBe(0)
    expect(stepIndex(5, 3, 0)).toBe(2)
    expect(stepIndex(0, 0, 1)).toBe(-1)
  })
})

describe('cursorAfterChange', () => {
  const q = (...pairs: [number, number][]) => pairs.map(([clipId, au]) => ({ clipId, au }))
  it('stays on the same item when it is still there', () => {
    expect(cursorAfterChange(q([1, 1], [1, 2], [2, 1]), 1, q([2, 1], [1, 1], [1, 2]))).toBe(2)
  })
  it('moves to the next remaining item when its item went away', () => {
    expect(cursorAfterChange(q([1, 1], [1, 2], [2, 1]), 1, q([1, 1], [2, 1]))).toBe(1)
  })
  it('falls back to the nearest earlier item, or −1 when empty', () => {
    expect(cursorAfterChange(q([1, 1], [1, 2], [2, 1]), 2, q([1, 1]))).toBe(0)
    expect(cursorAfterChange(q([1, 1]), 0, [])).toBe(-1)
    expect(cursorAfterChange([], -1, q([3, 3]))).toBe(0)
  })
})
