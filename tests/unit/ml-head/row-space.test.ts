import { describe, expect, it } from 'vitest'
import { Rng } from '../../../src/engine/datasets/synthetic/prng'
import { fitAuHead } from '../../../src/engine/ml/head/au-head-fit'
import { fitLogistic } from '../../../src/engine/ml/head/logistic-regression'
import { rowSpace, symmetricEigen } from '../../../src/engine/ml/head/row-space'

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i] * b[i]
  return s
}

function randomRows(seed: number, n: number, d: number): Float64Array[] {
  const rng = Rng.from(seed, 'rows')
  return Array.from({ length: n }, () => Float64Array.from({ length: d }, () => rng.normal()))
}

describe('symmetricEigen', () => {
  it('gives the worked eigenpairs of [[2, 1], [1, 2]]: 3 along (1, 1), 1 along (1, −1)', () => {
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2)
    expect(values[0]).toBeCloseTo(3, 12)
    expect(values[1]).toBeCloseTo(1, 12)
    expect(Math.abs(vectors[0][0])).toBeCloseTo(Math.SQRT1_2, 12)
    expect(vectors[0][0] * vectors[0][1]).toBeGreaterThan(0)
    expect(vectors[1][0] * vectors[1][1]).toBeLessThan(0)
  })

  it('reconstructs a random symmetric matrix from its eigenpairs', () => {
    const n = 7
    const rows = randomRows(3, n, n)
    const a = new Float64Array(n * n)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = rows[i][j] + rows[j][i]
    const { values, vectors } = symmetricEigen(a, n)
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const back = values.reduce((s, v, k) => s + v * vectors[k][i] * vectors[k][j], 0)
        expect(back).toBeCloseTo(a[i * n + j], 9)
      }
    }
  })
})

describe('rowSpace', () => {
  it('gives an orthonormal basis whose coordinates reproduce every inner product', () => {
    const rows = randomRows(5, 6, 20)
    const { basis, coordinates } = rowSpace(rows)
    expect(basis).toHaveLength(6)
    for (let k = 0; k < basis.length; k++) {
      for (let l = 0; l < basis.length; l++)
        expect(dot(basis[k], basis[l])).toBeCloseTo(k === l ? 1 : 0, 9)
    }
    for (let i = 0; i < rows.length; i++) {
      for (let j = 0; j < rows.length; j++) {
        expect(dot(coordinates[i], coordinates[j])).toBeCloseTo(dot(rows[i], rows[j]), 8)
      }
    }
  })

  it('keeps only as many directions as the rows span (centred rows lose one)', () => {
    const rows = randomRows(9, 5, 12)
    const mean = rows[0].map((_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length)
    const centred = rows.map((r) => r.map((x, j) => x - mean[j]))
    expect(rowSpace(centred).basis).toHaveLength(4)
  })
})

describe('fitAuHead with more features than clips', () => {
  it('equals the ridge logistic regression solved in all the features', () => {
    const n = 12
    const d = 30
    const x = randomRows(11, n, d)
    const labels = x.map((r) => Uint8Array.from([r[0] + 0.5 * r[1] > 0 ? 1 : 0]))
    const head = fitAuHead(x, labels, { l2: 1, classBalanced: false })
    // The same fit, standardised by hand and solved by Newton in all d + 1 parameters.
    const mean = x[0].map((_, j) => x.reduce((s, r) => s + r[j], 0) / n)
    const std = mean.map((m, j) => Math.sqrt(x.reduce((s, r) => s + (r[j] - m) ** 2, 0) / n))
    const z = x.map((r) => r.map((v, j) => (v - mean[j]) / std[j]))
    const full = fitLogistic(
      z,
      labels.map((l) => l[0]),
      { l2: 1, positiveWeight: 1, tolerance: 1e-12 },
    )
    for (let j = 0; j < d; j++) {
      expect(head.kernel[j]).toBeCloseTo(full.weights[j] / std[j], 4)
    }
    for (const row of x) {
      const ours = head.bias[0] + dot(row, head.kernel)
      const theirs =
        full.bias +
        dot(
          row.map((v, j) => (v - mean[j]) / std[j]),
          full.weights,
        )
      expect(ours).toBeCloseTo(theirs, 4)
    }
  })
})
