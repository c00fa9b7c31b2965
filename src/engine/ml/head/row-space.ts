/**
 * Eigen-decomposition of a symmetric matrix and the row space of a feature matrix, so that
 * a ridge-penalised fit on n rows of d > n features can be solved in n dimensions.
 *
 * Why it is exact: for a loss that depends on the weights β only through the logits X·β
 * plus (λ/2)‖β‖², the optimum lies in the row space of X (any component orthogonal to it
 * leaves the logits alone and only adds penalty). With an orthonormal basis Q (d × r) of
 * that space, β = Q·γ gives X·β = (X·Q)·γ and ‖β‖ = ‖γ‖, so the fit on the r projected
 * features X·Q with the same λ has the same optimum, mapped back by β = Q·γ.
 */

/** Eigenvalues (descending) and unit eigenvectors (`vectors[k]` belongs to `values[k]`). */
export interface SymmetricEigen {
  values: Float64Array
  vectors: Float64Array[]
}

/** Off-diagonal sum of squares of a row-major n × n matrix. */
function offDiagonal(a: Float64Array, n: number): number {
  let s = 0
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) s += a[i * n + j] ** 2
  return s
}

/** Applies the Jacobi rotation that zeroes a[p][q] to a (both sides) and v (columns). */
function rotate(a: Float64Array, v: Float64Array, n: number, p: number, q: number): void {
  const apq = a[p * n + q]
  if (apq === 0) return
  const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
  const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
  const c = 1 / Math.sqrt(t * t + 1)
  const s = t * c
  for (let k = 0; k < n; k++) {
    const akp = a[k * n + p]
    const akq = a[k * n + q]
    a[k * n + p] = c * akp - s * akq
    a[k * n + q] = s * akp + c * akq
  }
  for (let k = 0; k < n; k++) {
    const apk = a[p * n + k]
    const aqk = a[q * n + k]
    a[p * n + k] = c * apk - s * aqk
    a[q * n + k] = s * apk + c * aqk
  }
  for (let k = 0; k < n; k++) {
    const vkp = v[k * n + p]
    const vkq = v[k * n + q]
    v[k * n + p] = c * vkp - s * vkq
    v[k * n + q] = s * vkp + c * vkq
  }
}

/**
 * Eigen-decomposition of the symmetric n × n matrix `matrix` (row-major, left unchanged) by
 * cyclic Jacobi rotations (Golub & Van Loan, "Matrix Computations", §8.5), swept until the
 * off-diagonal mass is below 1e-24 of the total (or 100 sweeps).
 */
export function symmetricEigen(matrix: Float64Array, n: number): SymmetricEigen {
  if (matrix.length !== n * n) throw new RangeError(`symmetricEigen: expected ${n}×${n} values`)
  const a = Float64Array.from(matrix)
  const v = new Float64Array(n * n)
  for (let i = 0; i < n; i++) v[i * n + i] = 1
  const total = a.reduce((s, x) => s + x * x, 0)
  for (let sweep = 0; sweep < 100 && offDiagonal(a, n) > 1e-24 * total; sweep++) {
    for (let p = 0; p < n - 1; p++) for (let q = p + 1; q < n; q++) rotate(a, v, n, p, q)
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j] - a[i * n + i])
  return {
    values: Float64Array.from(order, (i) => a[i * n + i]),
    vectors: order.map((col) => Float64Array.from({ length: n }, (_, k) => v[k * n + col])),
  }
}

/** An orthonormal basis of the row space of a feature matrix, and the rows in it. */
export interface RowSpace {
  /** r basis vectors of length d (the columns of Q). */
  basis: Float64Array[]
  /** Each row's r coordinates in the basis: the rows of X·Q. */
  coordinates: Float64Array[]
}

/**
 * The row space of `rows` (n rows of d values) from the eigen-decomposition of the Gram
 * matrix G = X·Xᵀ = U·S·Uᵀ: for every eigenvalue s_k above 1e-10 of the largest, the basis
 * vector q_k = Xᵀ·u_k / √s_k (unit length, orthogonal to the others) and the coordinates
 * X·q_k = √s_k·u_k. Costs n²·d + O(n³), against d³ for working in all d dimensions.
 */
export function rowSpace(rows: readonly Float64Array[]): RowSpace {
  const n = rows.length
  const d = rows[0]?.length ?? 0
  const gram = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0
      for (let k = 0; k < d; k++) s += rows[i][k] * rows[j][k]
      gram[i * n + j] = s
      gram[j * n + i] = s
    }
  }
  const { values, vectors } = symmetricEigen(gram, n)
  const kept = [...values.keys()].filter((k) => values[k] > 1e-10 * Math.max(values[0], 0))
  const basis = kept.map((k) => {
    const q = new Float64Array(d)
    const root = Math.sqrt(values[k])
    for (let i = 0; i < n; i++) {
      const w = vectors[k][i] / root
      for (let j = 0; j < d; j++) q[j] += w * rows[i][j]
    }
    return q
  })
  const coordinates = rows.map((_, i) =>
    Float64Array.from(kept, (k) => Math.sqrt(values[k]) * vectors[k][i]),
  )
  return { basis, coordinates }
}
