import { describe, expect, it } from 'vitest'
import { solveSpd } from '../../../src/engine/ml/head/cholesky'
import { fitLogistic, logisticLoss } from '../../../src/engine/ml/head/logistic-regression'
import { Rng } from '../../../src/engine/datasets/synthetic/prng'

const rows = (values: number[][]) => values.map((r) => Float64Array.from(r))
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z))

describe('solveSpd', () => {
  it('solves a worked 3×3 system', () => {
    // A·[1, 2, 3] = [8, 15, 11]
    const a = Float64Array.from([4, 2, 0, 2, 5, 1, 0, 1, 3])
    const x = solveSpd(a, Float64Array.from([8, 15, 11]), 3)
    expect(Array.from(x).map((v) => Number(v.toFixed(12)))).toEqual([1, 2, 3])
  })

  it('refuses a matrix that is not positive definite', () => {
    expect(() => solveSpd(Float64Array.from([1, 2, 2, 1]), Float64Array.from([1, 1]), 2)).toThrow(
      /not positive definite/,
    )
  })
})

describe('fitLogistic', () => {
  it('finds the worked optimum of a symmetric one-feature problem', () => {
    // x = −1 (no), x = +1 (yes), λ = 1: by symmetry b = 0, and β solves β = 2·σ(−β).
    let lo = 0
    let hi = 2
    for (let i = 0; i < 60; i++) {
      const mid = (lo + hi) / 2
      if (mid - 2 * sigmoid(-mid) < 0) lo = mid
      else hi = mid
    }
    const fit = fitLogistic(rows([[-1], [1]]), [0, 1], { l2: 1, positiveWeight: 1 })
    expect(fit.weights[0]).toBeCloseTo(lo, 8)
    expect(fit.bias).toBeCloseTo(0, 8)
  })

  it('weights positives: a bias-only model reaches p = w·P / (w·P + N)', () => {
    const x = rows(Array.from({ length: 8 }, () => []))
    const y = [1, 1, 0, 0, 0, 0, 0, 0]
    expect(fitLogistic(x, y, { l2: 1, positiveWeight: 1 }).bias).toBeCloseTo(Math.log(2 / 6), 6)
    expect(fitLogistic(x, y, { l2: 1, positiveWeight: 3 }).bias).toBeCloseTo(0, 6)
  })

  it('meets the optimality condition Σ wᵢ(pᵢ − yᵢ)xᵢ + λβ = 0 on random data', () => {
    const rng = Rng.from(5, 'logistic')
    const x = rows(Array.from({ length: 40 }, () => Array.from({ length: 6 }, () => rng.normal())))
    const y = x.map((r) => (r[0] + 0.5 * r[1] + 0.3 * rng.normal() > 0 ? 1 : 0))
    const options = { l2: 0.5, positiveWeight: 1.7 }
    const fit = fitLogistic(x, y, options)
    for (let j = 0; j < 6; j++) {
      let g = options.l2 * fit.weights[j]
      x.forEach((r, i) => {
        const z = r.reduce((s, v, k) => s + v * fit.weights[k], fit.bias)
        g += (y[i] ? options.positiveWeight : 1) * (sigmoid(z) - y[i]) * r[j]
      })
      expect(Math.abs(g)).toBeLessThan(1e-6)
    }
    const theta = Float64Array.from([...fit.weights, fit.bias])
    expect(logisticLoss(x, y, theta, options)).toBeCloseTo(fit.loss, 10)
  })

  it('stays finite on separable data (the ridge bounds the weights)', () => {
    const fit = fitLogistic(rows([[-2], [-1], [1], [2]]), [0, 0, 1, 1], {
      l2: 0.1,
      positiveWeight: 1,
    })
    expect(Number.isFinite(fit.weights[0])).toBe(true)
    expect(fit.weights[0]).toBeGreaterThan(1)
    expect(fit.weights[0]).toBeLessThan(20)
  })
})
