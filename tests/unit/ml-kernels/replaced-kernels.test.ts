import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../../src/engine/ml/backend'
import { registerTrainingKernels, restoreKernels } from '../../../src/engine/ml/kernels'
import { tf } from '../../../src/engine/ml/tf'
import { TOLERANCE, cpuVersusWasm, maxAbsDiff, on, prng, sizeOf, values } from './helpers'

beforeAll(async () => {
  const report = await selectBackend({ prefer: 'wasm', wasmThreads: 1 })
  expect(report.name).toBe('wasm')
})

/** Values on a coarse grid, so that windows hold ties, and shifted to make some all ≤ 0. */
function tiedValues(size: number, seed: number): Float32Array {
  const next = prng(seed)
  return Float32Array.from({ length: size }, () => Math.round(4 * next() - 3) / 2)
}

interface PoolCase {
  x: [number, number, number, number]
  filter: number
  strides: number
  pad: 'same' | 'valid'
}

const POOLS: PoolCase[] = [
  { x: [2, 7, 6, 3], filter: 3, strides: 2, pad: 'same' },
  { x: [2, 7, 6, 3], filter: 3, strides: 2, pad: 'valid' },
  { x: [1, 8, 8, 4], filter: 2, strides: 2, pad: 'valid' },
  { x: [2, 5, 5, 2], filter: 3, strides: 1, pad: 'same' },
  { x: [1, 9, 7, 3], filter: 2, strides: 1, pad: 'same' },
  { x: [3, 6, 6, 1], filter: 3, strides: 3, pad: 'valid' },
]

function maxPoolGrad(c: PoolCase, seed: number) {
  return () => {
    const x = tf.tensor4d(tiedValues(sizeOf(c.x), seed), c.x)
    const y = tf.maxPool(x, c.filter, c.strides, c.pad)
    const dy = tf.tensor4d(values(y.size, seed + 1), y.shape)
    const attrs = { filterSize: c.filter, strides: c.strides, pad: c.pad }
    return tf.engine().runKernel(tf.MaxPoolGrad, { dy, input: x, output: y }, attrs) as tf.Tensor
  }
}

describe('MaxPoolGrad on wasm', () => {
  it.each(POOLS.map((c, i) => [JSON.stringify(c), c, i] as const))(
    'matches cpu with ties and non-positive windows: %s',
    async (_, c, i) => {
      expect(await cpuVersusWasm(maxPoolGrad(c, 20 + i))).toBeLessThanOrEqual(TOLERANCE)
    },
  )

  it('sends the gradient of a window of zeros to its first element, like cpu', async () => {
    const run = () => {
      const x = tf.tensor4d([-1, -2, -3, -4, 0, 0, 0, 0, 5, 5, 1, 1], [1, 3, 4, 1])
      return tf.grad((a: tf.Tensor) => tf.sum(tf.maxPool(a as tf.Tensor4D, 2, 2, 'same')))(x)
    }
    const [wasm] = await on('wasm', run)
    expect(Array.from(wasm)).toEqual([0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0])
  })

  it('replaces a stock kernel that is still wrong (drop the override when this fails)', async () => {
    restoreKernels('wasm')
    try {
      expect(await cpuVersusWasm(maxPoolGrad(POOLS[0], 20))).toBeGreaterThan(TOLERANCE)
    } finally {
      registerTrainingKernels('wasm')
    }
  })
})

describe('AvgPoolGrad on wasm (stock kernel)', () => {
  it.each(POOLS.map((c, i) => [JSON.stringify(c), c, i] as const))(
    'matches cpu: %s',
    async (_, c, i) => {
      const diff = await cpuVersusWasm(() => {
        const x = tf.tensor4d(values(sizeOf(c.x), 40 + i), c.x)
        const f = (a: tf.Tensor) =>
          tf.sum(tf.square(tf.avgPool(a as tf.Tensor4D, c.filter, c.strides, c.pad)))
        return tf.grad(f)(x)
      })
      expect(diff).toBeLessThanOrEqual(TOLERANCE)
    },
  )
})

describe('Tile on wasm', () => {
  const cases: [number[], number[]][] = [
    [
      [1, 1, 1, 5],
      [2, 3, 4, 1],
    ],
    [
      [2, 3],
      [3, 2],
    ],
    [
      [3, 1, 2],
      [1, 4, 1],
    ],
    [[4], [3]],
    [
      [2, 2, 2, 2],
      [2, 2, 2, 2],
    ],
    [
      [2, 1, 3],
      [1, 1, 1],
    ],
  ]
  it.each(cases.map(([shape, reps]) => [`${shape} × ${reps}`, shape, reps] as const))(
    'matches cpu: %s',
    async (_, shape, reps) => {
      const diff = await cpuVersusWasm(() =>
        tf.tile(tf.tensor(values(sizeOf(shape), 3), shape), reps),
      )
      expect(diff).toBe(0)
    },
  )

  it('keeps int32 tensors int32', async () => {
    await tf.setBackend('wasm')
    const tiled = tf.tile(tf.tensor([1, 2], [2], 'int32'), [2])
    expect(tiled.dtype).toBe('int32')
    expect(Array.from(tiled.dataSync())).toEqual([1, 2, 1, 2])
    tiled.dispose()
  })
})

describe('Sum and Mean on wasm', () => {
  const cases: [number[], number[]][] = [
    [
      [3, 5, 4, 6],
      [0, 1, 2],
    ],
    [
      [2, 4, 4, 3],
      [1, 2],
    ],
    [[6, 5], [0]],
    [[3, 4, 5], [1]],
    [
      [3, 4, 5],
      [0, 1],
    ],
    [
      [3, 4, 5],
      [1, 2],
    ],
    [
      [3, 4, 5],
      [0, 2],
    ],
    [[5, 3, 7], [0]],
    [
      [2, 3],
      [0, 1],
    ],
  ]
  for (const kind of ['sum', 'mean'] as const) {
    it.each(cases.map(([shape, axes]) => [`${shape} over ${axes}`, shape, axes] as const))(
      `${kind} matches cpu: %s`,
      async (_, shape, axes) => {
        const diff = await cpuVersusWasm(() => {
          const x = tf.tensor(values(sizeOf(shape), 9), shape)
          return [tf[kind](x, axes), tf[kind](x, axes, true)]
        })
        expect(diff).toBeLessThanOrEqual(TOLERANCE)
      },
    )
  }

  it('sums 0/1 values to exact counts', async () => {
    await tf.setBackend('wasm')
    const next = prng(4)
    const mask = Float32Array.from({ length: 1000 * 3 }, () => (next() < 0.3 ? 1 : 0))
    const counts = tf.sum(tf.tensor2d(mask, [1000, 3]), 0)
    const expected = [0, 1, 2].map((c) => mask.filter((v, i) => i % 3 === c && v === 1).length)
    expect(Array.from(counts.dataSync())).toEqual(expected)
    counts.dispose()
  })
})

describe('FusedBatchNorm on wasm', () => {
  it('matches cpu with and without scale and offset', async () => {
    const diff = await cpuVersusWasm(() => {
      const x = tf.tensor4d(values(2 * 5 * 4 * 3, 1), [2, 5, 4, 3])
      const mean = tf.tensor1d(values(3, 2))
      const variance = tf.abs(tf.tensor1d(values(3, 3)))
      const offset = tf.tensor1d(values(3, 4))
      const scale = tf.tensor1d(values(3, 5))
      return [
        tf.batchNorm(x, mean, variance, offset, scale, 1e-3),
        tf.batchNorm(x, mean, variance, undefined, undefined, 1e-3),
        tf.batchNorm(x, mean, variance, offset, undefined, 1e-3),
      ]
    })
    expect(diff).toBeLessThanOrEqual(TOLERANCE)
  })
})

describe('Identity and Cast on wasm', () => {
  it('share data that outlives the original tensor', async () => {
    await tf.setBackend('wasm')
    const x = tf.tensor1d([1.5, -2, 3])
    const copies = [tf.clone(x), tf.cast(x, 'float32')]
    x.dispose()
    expect(copies.map((t) => Array.from(t.dataSync()))).toEqual([
      [1.5, -2, 3],
      [1.5, -2, 3],
    ])
    tf.dispose(copies)
  })

  it('still convert when the dtype changes', async () => {
    await tf.setBackend('wasm')
    const ints = tf.cast(tf.tensor1d([1.7, -2.2]), 'int32')
    expect(ints.dtype).toBe('int32')
    expect(Array.from(ints.dataSync())).toEqual([1, -2])
    ints.dispose()
  })
})

describe('BatchMatMul on wasm', () => {
  const reshapedTwice = () => {
    const x = tf.range(0, 12, 1, 'float32')
    return [
      tf.matMul(tf.ones([1, 6]), tf.reshape(x, [6, 2])),
      tf.matMul(tf.ones([1, 4]), tf.reshape(x, [4, 3])),
      tf.matMul(tf.ones([1, 2]), tf.reshape(x, [2, 6])),
    ]
  }

  it('gives right products when one tensor is used as b in several shapes', async () => {
    const [a, b, c] = await on('wasm', reshapedTwice)
    expect(Array.from(a)).toEqual([30, 36])
    expect(Array.from(b)).toEqual([18, 22, 26])
    expect(Array.from(c)).toEqual([6, 8, 10, 12, 14, 16])
  })

  it('guards a stock kernel that is still wrong (drop the guard when this fails)', async () => {
    restoreKernels('wasm')
    try {
      const [, b] = await on('wasm', reshapedTwice)
      expect(Array.from(b)).not.toEqual([18, 22, 26])
    } finally {
      registerTrainingKernels('wasm')
    }
  })

  it('matches cpu for transposed and fused products', async () => {
    const diff = await cpuVersusWasm(() => {
      const a = tf.tensor2d(values(12, 1), [3, 4])
      const b = tf.tensor2d(values(20, 2), [4, 5])
      const bias = tf.tensor1d(values(5, 3))
      return [
        tf.matMul(a, b),
        tf.matMul(a, tf.transpose(b), false, true),
        tf.matMul(tf.transpose(a), b, true, false),
        tf.fused.matMul({ a, b, bias, activation: 'relu' }),
      ]
    })
    expect(diff).toBeLessThanOrEqual(TOLERANCE)
  })
})

describe('gradient of FusedBatchNorm', () => {
  /** Gradients of x and the four statistics, the statistics shaped `statShape`. */
  const run = (statShape: number[]) => () => {
    const x = tf.tensor4d(values(2 * 3 * 4 * 5, 1), [2, 3, 4, 5])
    const stats = [2, 3, 4, 5].map((seed) => tf.tensor(values(5, seed), statShape))
    stats[1] = tf.abs(stats[1])
    const dy = tf.tensor4d(values(2 * 3 * 4 * 5, 6), [2, 3, 4, 5])
    const f = (a: tf.Tensor, m: tf.Tensor, v: tf.Tensor, o: tf.Tensor, s: tf.Tensor) =>
      tf.sum(tf.mul(tf.batchNorm(a, m, v, o, s, 1e-3), dy))
    return tf.grads(f)([x, ...stats])
  }

  /** tfjs-core's gradient of per-channel statistics (it cannot reduce other shapes). */
  async function stock(): Promise<Float32Array[]> {
    restoreKernels('wasm')
    try {
      return await on('cpu', run([5]))
    } finally {
      registerTrainingKernels('wasm')
    }
  }

  it('equals tfjs-core’s for per-channel statistics', async () => {
    const ours = await on('cpu', run([5]))
    const reference = await stock()
    expect(Math.max(...ours.map((g, i) => maxAbsDiff(g, reference[i])))).toBeLessThanOrEqual(1e-5)
  })

  it('reduces statistics shaped [1, 1, 1, c] to their shape', async () => {
    const ours = await on('cpu', run([1, 1, 1, 5]))
    const reference = await stock()
    expect(Math.max(...ours.map((g, i) => maxAbsDiff(g, reference[i])))).toBeLessThanOrEqual(1e-5)
  })
})

describe('gradients of Sum and Mean', () => {
  it('give the values of tfjs-core’s own gradients', async () => {
    const run = () => {
      const x = tf.tensor3d(values(3 * 4 * 5, 8), [3, 4, 5])
      const f = (a: tf.Tensor) =>
        tf.add(
          tf.sum(tf.square(tf.mean(a, [0, 2]))),
          tf.sum(tf.mul(tf.sum(a, 1, true), tf.tensor3d(values(15, 9), [3, 1, 5]))),
        )
      return tf.grad(f)(x)
    }
    const ours = await on('cpu', run)
    restoreKernels('wasm')
    try {
      const stock = await on('cpu', run)
      expect(Array.from(ours[0])).toEqual(Array.from(stock[0]))
    } finally {
      registerTrainingKernels('wasm')
    }
  })
})
