/**
 * Training-step benchmark of the tensor backends: one SGD step (forward, backward, update) of
 * a small SE-ResNet on a 16 × 64 × 64 × 3 batch, on cpu and on wasm, each with the stock tfjs
 * kernels ("before") and with MicroAU's (src/engine/ml/kernels; wasm with 1 thread and with
 * the pthreads build on all cores), against the same step in PyTorch
 * (bench/reference/se_resnet_step.py, 1 and 2 threads), plus the per-kernel time of one
 * profiled step of each configuration and the kernels stock wasm lacks.
 *
 * `npx tsx bench/kernels.bench.ts` prints a markdown section and writes
 * bench/results/kernels.md. Every configuration runs in its own child process because a
 * wasm module is loaded once per process.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { selectBackend } from '../src/engine/ml/backend'
import {
  GRADIENT_OVERRIDES,
  KERNEL_OVERRIDES,
  registerTrainingKernels,
  restoreKernels,
} from '../src/engine/ml/kernels'
import {
  kernelsDispatchedBy,
  kernelsMissingVersus,
  unregisteredOn,
} from '../src/engine/ml/kernels/coverage'
import { tf } from '../src/engine/ml/tf'

const BATCH = 16
const SIZE = 64
const AUS = 8
const STEM = 32
const WIDTHS = [32, 64, 128, 256]
const STRIDES = [1, 2, 2, 2]
const SE_REDUCTION = 8
const HERE = path.dirname(fileURLToPath(import.meta.url))
const THREADS = Math.min(8, os.availableParallelism())

// ---------------------------------------------------------------- the network

type Params = Map<string, tf.Variable>

function addConv(params: Params, name: string, k: number, cin: number, cout: number): void {
  const scale = Math.sqrt(2 / (k * k * cin))
  params.set(name, tf.variable(tf.randomNormal([k, k, cin, cout], 0, scale, 'float32', 1)))
}

function addBn(params: Params, name: string, c: number): void {
  params.set(`${name}/gamma`, tf.variable(tf.ones([c])))
  params.set(`${name}/beta`, tf.variable(tf.zeros([c])))
}

function addDense(params: Params, name: string, cin: number, cout: number): void {
  const scale = Math.sqrt(1 / cin)
  params.set(name, tf.variable(tf.randomNormal([cin, cout], 0, scale, 'float32', 2)))
  params.set(`${name}/bias`, tf.variable(tf.zeros([cout])))
}

function buildParams(): Params {
  const params: Params = new Map()
  addConv(params, 'stem', 3, 3, STEM)
  addBn(params, 'stem', STEM)
  let cin = STEM
  WIDTHS.forEach((width, i) => {
    const mid = width / 2
    const b = `block${i}`
    addConv(params, `${b}/reduce`, 1, cin, mid)
    addBn(params, `${b}/reduce`, mid)
    addConv(params, `${b}/spatial`, 3, mid, mid)
    addBn(params, `${b}/spatial`, mid)
    addConv(params, `${b}/expand`, 1, mid, width)
    addBn(params, `${b}/expand`, width)
    const squeezed = Math.max(4, width / SE_REDUCTION)
    addDense(params, `${b}/se_down`, width, squeezed)
    addDense(params, `${b}/se_up`, squeezed, width)
    if (STRIDES[i] !== 1 || cin !== width) {
      addConv(params, `${b}/project`, 1, cin, width)
      addBn(params, `${b}/project`, width)
    }
    cin = width
  })
  addDense(params, 'head', cin, AUS)
  return params
}

function get(params: Params, name: string): tf.Variable {
  const v = params.get(name)
  if (v === undefined) throw new Error(`no parameter ${name}`)
  return v
}

function convBn(p: Params, x: tf.Tensor4D, name: string, stride: number): tf.Tensor4D {
  const y = tf.conv2d(x, get(p, name) as tf.Tensor4D, stride, 'same')
  const { mean, variance } = tf.moments(y, [0, 1, 2])
  const gamma = get(p, `${name}/gamma`) as tf.Tensor1D
  const beta = get(p, `${name}/beta`) as tf.Tensor1D
  return tf.batchNorm(y, mean, variance, beta, gamma, 1e-5) as tf.Tensor4D
}

function dense(p: Params, x: tf.Tensor2D, name: string): tf.Tensor2D {
  return tf.add(tf.matMul(x, get(p, name) as tf.Tensor2D), get(p, `${name}/bias`))
}

function forward(p: Params, images: tf.Tensor4D): tf.Tensor2D {
  let x = tf.relu(convBn(p, images, 'stem', 1))
  x = tf.maxPool(x, 3, 2, 'same')
  WIDTHS.forEach((width, i) => {
    const b = `block${i}`
    let y = tf.relu(convBn(p, x, `${b}/reduce`, STRIDES[i]))
    y = tf.relu(convBn(p, y, `${b}/spatial`, 1))
    y = convBn(p, y, `${b}/expand`, 1)
    const squeeze = tf.relu(dense(p, tf.mean(y, [1, 2]) as tf.Tensor2D, `${b}/se_down`))
    const excite = tf.sigmoid(dense(p, squeeze, `${b}/se_up`))
    y = tf.mul(y, tf.reshape(excite, [-1, 1, 1, width]))
    const shortcut = p.has(`${b}/project`) ? convBn(p, x, `${b}/project`, STRIDES[i]) : x
    x = tf.relu(tf.add(y, shortcut))
  })
  return dense(p, tf.mean(x, [1, 2]) as tf.Tensor2D, 'head')
}

interface Trainer {
  /** One SGD step; returns the loss. */
  step(): tf.Scalar
  dispose(): void
}

function makeTrainer(batch = BATCH): Trainer {
  const params = buildParams()
  const images = tf.randomNormal([batch, SIZE, SIZE, 3], 0, 1, 'float32', 3) as tf.Tensor4D
  const labels = tf.cast(
    tf.greater(tf.randomUniform([batch, AUS], 0, 1, 'float32', 4), 0.5),
    'float32',
  )
  const optimiser = tf.train.sgd(0.01)
  const vars = [...params.values()]
  return {
    step: () =>
      optimiser.minimize(
        () => tf.losses.sigmoidCrossEntropy(labels, forward(params, images)),
        true,
        vars,
      ) as tf.Scalar,
    dispose: () => {
      tf.dispose([...vars, images, labels])
      optimiser.dispose()
    },
  }
}

// ------------------------------------------------------- the "before" baseline

/**
 * Stock tfjs-backend-wasm cannot train a conv net (no Conv2DBackpropFilter kernel). The
 * baseline fills that hole the direct way: the cpu backend's JS kernel on copied data.
 */
function borrowCpuFilterGrad(): void {
  const cpuKernel = tf.getKernel(tf.Conv2DBackpropFilter, 'cpu')
  if (cpuKernel === undefined) throw new Error('cpu backend has no Conv2DBackpropFilter')
  tf.registerKernel({
    kernelName: tf.Conv2DBackpropFilter,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as BackendWasm
      const cpu = tf.findBackend('cpu')
      const copies: tf.TensorInfo[] = []
      const copy = (name: string): tf.TensorInfo => {
        const info = inputs[name]
        if (info === undefined) throw new Error(`missing input ${name}`)
        const dataId = cpu.write(wasm.readSync(info.dataId), info.shape, info.dtype)
        const moved = { dataId, shape: info.shape, dtype: info.dtype }
        copies.push(moved)
        return moved
      }
      const grad = cpuKernel.kernelFunc({
        inputs: { x: copy('x'), dy: copy('dy') },
        backend: cpu,
        attrs,
      }) as tf.TensorInfo
      const out = wasm.makeOutput(grad.shape, grad.dtype, undefined, cpu.readSync(grad.dataId))
      for (const info of [...copies, grad]) cpu.disposeData(info.dataId)
      return out
    },
  })
}

// ------------------------------------------------------------ one configuration

const CONFIGS = {
  'cpu-before': 'cpu, stock tfjs kernels',
  cpu: 'cpu + MicroAU kernels',
  'wasm-before': 'wasm, stock kernels (+ cpu’s Conv2DBackpropFilter), 1 thread',
  'wasm-1': 'wasm + MicroAU kernels, 1 thread',
  'wasm-threads': `wasm + MicroAU kernels, pthreads build, ${THREADS} threads`,
} as const
type ConfigName = keyof typeof CONFIGS

interface KernelTime {
  name: string
  calls: number
  ms: number
}

interface ConfigResult {
  config: ConfigName
  threads: number
  msPerStep: number[]
  /** CPU time of the process per step (all threads). */
  cpuMsPerStep: number[]
  kernels: KernelTime[]
  /** wasm only: kernels the training step dispatches that wasm lacks, before/after ours. */
  missing?: { stockStatic: string[]; stockStep: string[]; oursStatic: string[]; oursStep: string[] }
}

async function setUp(config: ConfigName): Promise<number> {
  if (config === 'cpu' || config === 'cpu-before') {
    const report = await selectBackend({ prefer: 'cpu' })
    if (config === 'cpu-before') restoreKernels('cpu')
    return report.threads
  }
  const threads = config === 'wasm-threads' ? THREADS : 1
  const report = await selectBackend({ prefer: 'wasm', wasmThreads: threads })
  if (report.name !== 'wasm') throw new Error(`wasm unavailable: ${JSON.stringify(report)}`)
  if (config === 'wasm-before') {
    restoreKernels('wasm')
    borrowCpuFilterGrad()
  }
  return report.threads
}

/** Kernels of one step on cpu, and which of them wasm lacks with and without ours. */
async function coverage(): Promise<NonNullable<ConfigResult['missing']>> {
  await tf.setBackend('cpu')
  // The kernels a step dispatches do not depend on the batch size: keep cpu's step short.
  registerTrainingKernels('cpu')
  const trainer = makeTrainer(2)
  const dispatched = await kernelsDispatchedBy(() => trainer.step())
  trainer.dispose()
  restoreKernels('wasm')
  const stockStatic = kernelsMissingVersus('wasm', 'cpu')
  const stockStep = unregisteredOn(dispatched, 'wasm')
  registerTrainingKernels('wasm')
  await tf.setBackend('wasm')
  return {
    stockStatic,
    stockStep,
    oursStatic: kernelsMissingVersus('wasm', 'cpu'),
    oursStep: unregisteredOn(dispatched, 'wasm'),
  }
}

/** One step under tf.profile: its kernels, wall and CPU time. */
async function profileStep(
  trainer: Trainer,
): Promise<{ kernels: KernelTime[]; wall: number; cpu: number }> {
  tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false)
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  const info = await tf.profile(() => trainer.step())
  const cpu = process.cpuUsage(cpu0)
  const wall = performance.now() - t0
  tf.dispose(info.result)
  const byName = new Map<string, KernelTime>()
  for (const kernel of info.kernels) {
    const entry = byName.get(kernel.name) ?? { name: kernel.name, calls: 0, ms: 0 }
    entry.calls += 1
    entry.ms += kernel.kernelTimeMs as number
    byName.set(kernel.name, entry)
  }
  const kernels = [...byName.values()].sort((a, b) => b.ms - a.ms)
  return { kernels, wall, cpu: (cpu.user + cpu.system) / 1000 }
}

/** A warm-up step longer than this is followed by one profiled step only, which is timed. */
const SLOW_STEP_MS = 20_000

async function runConfig(config: ConfigName): Promise<ConfigResult> {
  const threads = await setUp(config)
  const missing = config === 'wasm-1' ? await coverage() : undefined
  const trainer = makeTrainer()
  const warmup = performance.now()
  tf.dispose(trainer.step())
  const slow = performance.now() - warmup > SLOW_STEP_MS
  const msPerStep: number[] = []
  const cpuMsPerStep: number[] = []
  const start = performance.now()
  // At least 3 timed steps and 10 s, at most 10 steps.
  while (
    !slow &&
    msPerStep.length < 10 &&
    (msPerStep.length < 3 || performance.now() - start < 10_000)
  ) {
    const t0 = performance.now()
    const cpu0 = process.cpuUsage()
    const loss = trainer.step()
    await loss.data()
    const cpu = process.cpuUsage(cpu0)
    msPerStep.push(performance.now() - t0)
    cpuMsPerStep.push((cpu.user + cpu.system) / 1000)
    loss.dispose()
  }
  const profiled = await profileStep(trainer)
  if (slow) {
    msPerStep.push(profiled.wall)
    cpuMsPerStep.push(profiled.cpu)
  }
  trainer.dispose()
  return { config, threads, msPerStep, cpuMsPerStep, kernels: profiled.kernels, missing }
}

// ------------------------------------------------------------------- the report

interface TorchResult {
  threads: number
  ms_per_step: number[]
  cpu_ms_per_step: number[]
  torch: string
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

function runChild(config: ConfigName): ConfigResult {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--config', config],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  )
  const line = child.stdout.split('\n').find((l) => l.startsWith('{"config"'))
  if (child.status !== 0 || line === undefined) {
    throw new Error(`configuration ${config} failed:\n${child.stderr.slice(-4000)}`)
  }
  return JSON.parse(line) as ConfigResult
}

function runTorch(threads: number): TorchResult {
  const script = path.join(HERE, 'reference', 'se_resnet_step.py')
  const child = spawnSync('/usr/bin/python3', [script, '--threads', String(threads)], {
    encoding: 'utf8',
  })
  if (child.status !== 0) throw new Error(`PyTorch reference failed:\n${child.stderr}`)
  return JSON.parse(child.stdout) as TorchResult
}

function kernelTable(result: ConfigResult, top: number): string {
  const total = result.kernels.reduce((sum, k) => sum + k.ms, 0)
  const rows = result.kernels
    .slice(0, top)
    .map(
      (k) =>
        `| ${k.name} | ${k.calls} | ${k.ms.toFixed(1)} | ${((100 * k.ms) / total).toFixed(1)} % |`,
    )
  return [
    `Kernels of one profiled step, ${CONFIGS[result.config]} (top ${top}, all kernels ${total.toFixed(0)} ms):`,
    '',
    '| kernel | calls | ms | share |',
    '| --- | ---: | ---: | ---: |',
    ...rows,
  ].join('\n')
}

interface Row {
  label: string
  threads: number
  wall: number[]
  cpu: number[]
}

function report(results: ConfigResult[], torch: TorchResult[], load: number[][]): string {
  const rows: Row[] = [
    ...results.map((r) => ({
      label: CONFIGS[r.config],
      threads: r.threads,
      wall: r.msPerStep,
      cpu: r.cpuMsPerStep,
    })),
    ...torch.map((t) => ({
      label: `PyTorch ${t.torch}, CPU`,
      threads: t.threads,
      wall: t.ms_per_step,
      cpu: t.cpu_ms_per_step,
    })),
  ]
  // Other work on a shared machine only ever slows a step down: ratios use each
  // configuration's fastest step.
  const torch1 = Math.min(...torch[0].ms_per_step)
  const table = rows.map((r) => {
    const best = Math.min(...r.wall)
    const cells = [
      r.label,
      String(r.threads),
      String(r.wall.length),
      median(r.wall).toFixed(0),
      best.toFixed(0),
      median(r.cpu).toFixed(0),
      ((BATCH * 1000) / best).toFixed(1),
      `${(best / torch1).toFixed(1)}×`,
    ]
    return `| ${cells.join(' | ')} |`
  })
  const byConfig = new Map(results.map((r) => [r.config, Math.min(...r.msPerStep)]))
  const gap = (config: ConfigName) => ((byConfig.get(config) ?? NaN) / torch1).toFixed(1)
  const wasm1 = results.find((r) => r.config === 'wasm-1')
  const missing = wasm1?.missing
  const loads = load.map((l) => l.map((v) => v.toFixed(1)).join(' ')).join(' → ')
  const lines = [
    '## Training step: tfjs backends vs PyTorch',
    '',
    `${new Date().toISOString().slice(0, 10)} · ${os.cpus()[0].model} · ${os.availableParallelism()} logical cores · Node ${process.version} · load average ${loads}`,
    '',
    `One SGD step (forward + backward + update) of a small SE-ResNet: batch ${BATCH} × ${SIZE} × ${SIZE} × 3,`,
    `stem conv 3×3 ${STEM} + BN + ReLU, max pool 3×3/2, four Caffe-style bottlenecks with`,
    `squeeze-excitation (widths ${WIDTHS.join(', ')}, strides ${STRIDES.join(', ')}), global average`,
    `pool, dense ${AUS}, sigmoid cross-entropy; batch-norm from tf.moments + tf.batchNorm as the`,
    'model code writes it. One warm-up step, then timed steps (wall clock and process CPU); a',
    'configuration whose warm-up step exceeds 20 s is timed on its one profiled step.',
    'The machine is shared with other work, which only slows steps down: images / s and the',
    'ratio use the fastest step (min); CPU ms is the median process CPU time per step.',
    '',
    '| configuration | threads | steps | ms / step (median) | min | CPU ms / step | images / s | min vs PyTorch 1 thread |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...table,
    '',
    `Gap to PyTorch (1 thread): wasm before ${gap('wasm-before')}×, after ${gap('wasm-1')}× (1 thread), ${gap('wasm-threads')}× (${THREADS} threads); cpu before ${gap('cpu-before')}×, after ${gap('cpu')}×.`,
    '',
  ]
  if (missing !== undefined) {
    lines.push(
      `Kernels the step dispatches that stock wasm lacks: ${missing.stockStep.join(', ') || 'none'}; ` +
        `with MicroAU's kernels: ${missing.oursStep.join(', ') || 'none'}.`,
      '',
      `Registered for cpu, absent on stock wasm: ${missing.stockStatic.join(', ')}.`,
      '',
      `Still absent with MicroAU's kernels (none used by training): ${missing.oursStatic.join(', ')}.`,
      '',
    )
  }
  lines.push(
    'MicroAU kernels (absent: the backend had none; fixed: replaces a wrong one; faster:',
    'replaces a slow one):',
    '',
    ...(['wasm', 'cpu'] as const).map(
      (backend) =>
        `- ${backend}: ${KERNEL_OVERRIDES[backend].map((o) => `${o.kernelName} (${o.kind})`).join(', ')}`,
    ),
    `- gradients (all backends): ${GRADIENT_OVERRIDES.map((g) => g.kernelName).join(', ')}`,
    '',
  )
  for (const r of results) lines.push(kernelTable(r, 12), '')
  return lines.join('\n')
}

async function main(): Promise<void> {
  const flag = process.argv.indexOf('--config')
  if (flag >= 0) {
    const config = process.argv[flag + 1] as ConfigName
    console.log(JSON.stringify(await runConfig(config)))
    return
  }
  const load = [os.loadavg()]
  const results = (Object.keys(CONFIGS) as ConfigName[]).map(runChild)
  const torch = [runTorch(1), runTorch(2)]
  load.push(os.loadavg())
  const markdown = report(results, torch, load)
  console.log(markdown)
  mkdirSync(path.join(HERE, 'results'), { recursive: true })
  writeFileSync(path.join(HERE, 'results', 'kernels.md'), markdown)
}

await main()
