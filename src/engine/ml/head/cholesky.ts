/**
 * Solves A x = b for a symmetric positive-definite matrix A (row-major, n × n) by the
 * Cholesky factorisation A = L Lᵀ, then forward and back substitution. A and b are left
 * unchanged. Throws a RangeError when A is not positive definite (a pivot ≤ 0), which for
 * the ridge-penalised Hessians of logistic-regression.ts cannot happen.
 */
export function solveSpd(a: Float64Array, b: Float64Array, n: number): Float64Array {
  if (a.length !== n * n || b.length !== n) {
    throw new RangeError(`solveSpd: expected a ${n}×${n} matrix and ${n} values`)
  }
  const l = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j]
      for (let k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k]
      if (i === j) {
        if (!(sum > 0)) throw new RangeError(`solveSpd: matrix not positive definite at row ${i}`)
        l[i * n + i] = Math.sqrt(sum)
      } else {
        l[i * n + j] = sum / l[j * n + j]
      }
    }
  }
  const y = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let sum = b[i]
    for (let k = 0; k < i; k++) sum -= l[i * n + k] * y[k]
    y[i] = sum / l[i * n + i]
  }
  const x = new Float64Array(n)
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i] * x[k]
    x[i] = sum / l[i * n + i]
  }
  return x
}
