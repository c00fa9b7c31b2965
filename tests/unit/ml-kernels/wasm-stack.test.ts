/**
 * Our wasm Sum/Mean reduce by XNNPACK average pooling, whose multi-pass kernels keep a
 * per-channel buffer on the wasm module's 64 KiB stack: a pooled view of 16 384 channels
 * or more overran it into malloc's state and a later free died ("memory access out of
 * bounds"). This is L_NA's reduction of 16 clips' paper-preset features. Its own file: a
 * failure here kills the wasm module for the rest of the process.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../../src/engine/ml/backend'
import { MAX_POOLED_CHANNELS } from '../../../src/engine/ml/kernels/reductions'
import { tf } from '../../../src/engine/ml/tf'
import { TOLERANCE, cpuVersusWasm, sizeOf, values } from './helpers'

beforeAll(async () => {
  const report = await selectBackend({ prefer: 'wasm', wasmThreads: 1 })
  expect(report.name).toBe('wasm')
})

describe('Sum and Mean on wasm with many channels', () => {
  const cases: [number[], number[]][] = [
    [[16, 16, 2048], [0]],
    [[16, 16, 2048], [1]],
    [[16, 2 * MAX_POOLED_CHANNELS], [0]],
    [[8, MAX_POOLED_CHANNELS], [0]],
  ]
  it.each(cases.map(([shape, axes]) => [`${shape} over ${axes}`, shape, axes] as const))(
    'match cpu and leave the heap usable: %s',
    async (_, shape, axes) => {
      for (let round = 0; round < 3; round++) {
        const diff = await cpuVersusWasm(() => {
          const x = tf.tensor(values(sizeOf(shape), round), shape)
          return [tf.sum(x, axes), tf.mean(x, axes)]
        })
        expect(diff).toBeLessThanOrEqual(TOLERANCE)
        // Allocations and frees after the reduction are where a damaged heap shows.
        await tf.setBackend('wasm')
        tf.dispose(Array.from({ length: 64 }, (_, i) => tf.ones([i + 1, 257])))
      }
    },
  )
})
