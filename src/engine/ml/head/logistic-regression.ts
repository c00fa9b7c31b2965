import { solveSpd } from './cholesky'

/** A fitted logistic regression: p = sigmoid(weights · x + bias). */
export interface LogisticFit {
  weights: Float64Array
  bias: number
  /** Newton iterations taken. */
  iterations: number
  /** The penalised weighted loss at the solution (see fitLogistic). */
  loss: number
}

/** Options of {@link fitLogistic}. */
export interface LogisticOptions {
  /** Ridge strength λ on the weights (not the bias). */
  l2: number
  /** Weight of each positive sample (negatives weigh 1): neg/pos for class balance. */
  positiveWeight: number
  maxIterations?: number
  /** Stop when no parameter moves by more than this. */
  tolerance?: number
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z))
}

function logits(x: readonly Float64Array[], theta: Float64Array, d: number): Float64Array {
  const z = new Float64Array(x.length)
  for (let i = 0; i < x.length; i++) {
    let s = theta[d]
    for (let j = 0; j < d; j++) s += x[i][j] * theta[j]
    z[i] = s
  }
  return z
}

/**
 * The penalised weighted loss Σᵢ wᵢ·BCE(yᵢ, σ(zᵢ)) + (λ/2)·‖β‖², where zᵢ = β·xᵢ + b, wᵢ is
 * `positiveWeight` for a positive and 1 for a negative; BCE(y, σ(z)) = softplus(z) − y·z.
 */
export function logisticLoss(
  x: readonly Float64Array[],
  y: ArrayLike<number>,
  theta: Float64Array,
  options: LogisticOptions,
): number {
  const d = theta.length - 1
  const z = logits(x, theta, d)
  let loss = 0
  for (let i = 0; i < x.length; i++) {
    const w = y[i] ? options.positiveWeight : 1
    loss += w * (softplus(z[i]) - y[i] * z[i])
  }
  for (let j = 0; j < d; j++) loss += (options.l2 / 2) * theta[j] ** 2
  return loss
}

/** Gradient and Hessian of logisticLoss at theta ((d + 1) values, the bias last). */
function newtonSystem(
  x: readonly Float64Array[],
  y: ArrayLike<number>,
  theta: Float64Array,
  options: LogisticOptions,
): { gradient: Float64Array; hessian: Float64Array } {
  const d = theta.length - 1
  const m = d + 1
  const z = logits(x, theta, d)
  const gradient = new Float64Array(m)
  const hessian = new Float64Array(m * m)
  const row = new Float64Array(m)
  for (let i = 0; i < x.length; i++) {
    const w = y[i] ? options.positiveWeight : 1
    const p = sigmoid(z[i])
    row.set(x[i])
    row[d] = 1
    const r = w * (p - y[i])
    const c = w * p * (1 - p)
    for (let a = 0; a < m; a++) {
      gradient[a] += r * row[a]
      const ca = c * row[a]
      for (let b = 0; b <= a; b++) hessian[a * m + b] += ca * row[b]
    }
  }
  for (let j = 0; j < d; j++) {
    gradient[j] += options.l2 * theta[j]
    hessian[j * m + j] += options.l2
  }
  hessian[d * m + d] += 1e-9
  for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) hessian[b * m + a] = hessian[a * m + b]
  return { gradient, hessian }
}

/**
 * Fits a class-weighted, ridge-penalised logistic regression by Newton's method with
 * step halving: it minimises logisticLoss (strictly convex for λ > 0, so the minimum is
 * unique and the fit does not depend on a learning rate or a starting point). Rows of `x`
 * are samples (standardise them first so that λ treats every feature alike); `y` holds 0/1.
 */
export function fitLogistic(
  x: readonly Float64Array[],
  y: ArrayLike<number>,
  options: LogisticOptions,
): LogisticFit {
  if (x.length === 0 || x.length !== y.length) {
    throw new RangeError(`fitLogistic: ${x.length} rows for ${y.length} labels`)
  }
  const d = x[0].length
  const maxIterations = options.maxIterations ?? 50
  const tolerance = options.tolerance ?? 1e-7
  let theta = new Float64Array(d + 1)
  let loss = logisticLoss(x, y, theta, options)
  let iterations = 0
  while (iterations < maxIterations) {
    iterations++
    const { gradient, hessian } = newtonSystem(x, y, theta, options)
    const step = solveSpd(hessian, gradient, d + 1)
    let scale = 1
    let next = theta
    let nextLoss = Infinity
    for (let halvings = 0; halvings < 30; halvings++, scale /= 2) {
      next = theta.map((t, k) => t - scale * step[k])
      nextLoss = logisticLoss(x, y, next, options)
      if (nextLoss <= loss) break
    }
    const moved = Math.max(...step.map((s) => Math.abs(scale * s)))
    if (!(nextLoss <= loss)) break
    theta = next
    loss = nextLoss
    if (moved < tolerance) break
  }
  return { weights: theta.slice(0, d), bias: theta[d], iterations, loss }
}
