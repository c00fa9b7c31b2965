import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Job } from '../../../src/shared/domain'
import { createEngine, type Engine } from '../../../src/engine/api/engine'
import { generateSyntheticDataset } from '../../../src/engine/datasets/synthetic/generate'
import { callOk } from '../../helpers/engine'
import { tempDir } from '../../helpers/temp'

const { dir, cleanup } = tempDir()
let engine: Engine
let sheet: string
let framesRoot: string

beforeAll(async () => {
  const synthetic = await generateSyntheticDataset({
    outDir: path.join(dir, 'synth'),
    subjects: 2,
    clipsPerSubject: 2,
    seed: 3,
    format: 'casme2',
  })
  sheet = synthetic.sheetPath
  framesRoot = synthetic.framesRoot
  engine = createEngine({ libraryPath: path.join(dir, 'library.sqlite') })
})
afterAll(() => {
  engine.close()
  cleanup()
})

async function runJob(method: 'datasets.import' | 'datasets.export', input: unknown): Promise<Job> {
  const started = await engine.call(method, input)
  expect(started.ok, JSON.stringify(started)).toBe(true)
  const job = (started as { ok: true; value: Job }).value
  return engine.jobs.whenSettled(job.id)
}

describe('import and export jobs in a worker process', () => {
  it('imports through the contract in a forked worker; the report is the result and the clips are listed', async () => {
    const seen: string[] = []
    const changed: string[] = []
    const off = engine.on('job.changed', (job) => seen.push(job.status))
    const offData = engine.on('data.changed', (e) => changed.push(e.entity))
    const job = await runJob('datasets.import', {
      format: 'casme2',
      sheet,
      frames: framesRoot,
      dataset: 'Synthetic',
    })
    off()
    offData()
    expect(job).toMatchObject({ status: 'succeeded', result: { clips: 4, subjects: 2 } })
    expect(seen).toContain('running')
    // Other screens hear that datasets and clips changed, once.
    expect(changed).toEqual(['datasets', 'clips'])
    expect(await callOk(engine, 'clips.list', {})).toHaveLength(4)
    const imports = await callOk(engine, 'imports.list', {})
    expect(imports[0]).toMatchObject({ format: 'casme2', clips: 4 })
  })

  it('fails a malformed sheet with the file, row and column, and the job records it', async () => {
    const bad = path.join(dir, 'bad.csv')
    fs.writeFileSync(
      bad,
      'Subject,Filename,OnsetFrame,ApexFrame,OffsetFrame,Action Units,Estimated Emotion\nsub01,EP01_01,30,20,10,4,others\n',
    )
    const job = await runJob('datasets.import', {
      format: 'csv',
      sheet: bad,
      frames: framesRoot,
      dataset: 'Bad',
    })
    expect(job.status).toBe('failed')
    expect(job.error?.message).toContain('bad.csv')
    expect(job.error?.message).toMatch(/row 2/)
    const datasets = await callOk(engine, 'datasets.list', {})
    expect(datasets.map((d) => d.name)).toEqual(['Synthetic'])
  })

  it('exports through a job', async () => {
    const out = path.join(dir, 'export', 'synthetic.xlsx')
    const job = await runJob('datasets.export', { format: 'xlsx', dataset: 'Synthetic', out })
    expect(job).toMatchObject({ status: 'succeeded', result: { format: 'xlsx', count: 4 } })
    expect(fs.statSync(out).size).toBeGreaterThan(0)
  })

  it('refuses relative paths before any job starts', async () => {
    const outcome = await engine.call('datasets.import', {
      format: 'casme2',
      sheet: 'rel/sheet.xlsx',
      frames: framesRoot,
      dataset: 'X',
    })
    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
  })
})
