/**
 * How much of a second core the machine gives right now: the same fixed piece of plain
 * JavaScript arithmetic in one worker thread alone, then in two at once. Headroom is
 * 2 · (one alone) / (two at once): 2.0 on two idle cores, about 1.0 when other work leaves
 * one core's worth. A step spread over two threads cannot beat the one-thread step by
 * more than this, so benches print it beside their timings.
 */
import { Worker } from 'node:worker_threads'

const SPIN = `
const { parentPort } = require('node:worker_threads')
parentPort.on('message', (rounds) => {
  const a = new Float32Array(1 << 16)
  let sum = 0
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < a.length; i++) { a[i] = a[i] * 0.999 + i; sum += a[i] }
  }
  parentPort.postMessage(sum)
})`

function spin(workers: Worker[], rounds: number): Promise<number> {
  const start = performance.now()
  return Promise.all(
    workers.map(
      (w) =>
        new Promise((resolve) => {
          w.once('message', resolve)
          w.postMessage(rounds)
        }),
    ),
  ).then(() => performance.now() - start)
}

/** Measures the headroom `trials` times (about 0.3 s of one core each) and gives the median. */
export async function parallelHeadroom(trials = 3, rounds = 1000): Promise<number> {
  const workers = [new Worker(SPIN, { eval: true }), new Worker(SPIN, { eval: true })]
  try {
    await spin(workers, rounds / 10)
    const ratios: number[] = []
    for (let t = 0; t < trials; t++) {
      const one = await spin(workers.slice(0, 1), rounds)
      const two = await spin(workers, rounds)
      ratios.push((2 * one) / two)
    }
    return ratios.sort((a, b) => a - b)[Math.floor(trials / 2)]
  } finally {
    await Promise.all(workers.map((w) => w.terminate()))
  }
}
