import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { methodNames } from '../../../src/shared/api'
import type { AppInfo } from '../../../src/shared/domain'
import { createEngine, type Engine } from '../../../src/engine/api/engine'
import { hashLibrary, tempDir } from '../../helpers/temp'

/** Payloads no method accepts: wrong shapes, hostile keys, absurd sizes. */
const MALFORMED: unknown[] = [
  undefined,
  null,
  42,
  'datasets',
  [],
  [{}],
  { unexpected: true },
  JSON.parse('{"__proto__": {"polluted": true}, "name": 1}'),
  { name: 'x'.repeat(1_000_000), unexpected: 1 },
  { id: -1, name: '' },
  { id: 1.5, datasetId: 'one', limit: 1e12, offset: -3 },
]

let engine: Engine
let file: string
let cleanup: () => void

beforeAll(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  file = path.join(t.dir, 'library.sqlite')
  engine = createEngine({ libraryPath: file })
  const created = await engine.call('datasets.create', { name: 'Existing' })
  expect(created.ok).toBe(true)
})
afterAll(() => {
  engine.close()
  cleanup()
})

describe('the contract', () => {
  it.each(methodNames)(
    '%s answers invalid_input to every malformed payload and writes nothing',
    async (method) => {
      const before = hashLibrary(file)
      for (const payload of MALFORMED) {
        const outcome = await engine.call(method, payload)
        expect(outcome.ok, `${method} accepted ${JSON.stringify(payload)?.slice(0, 80)}`).toBe(
          false,
        )
        if (!outcome.ok) {
          expect(outcome.error.code).toBe('invalid_input')
          // The method is in the details; the message is for people and never names it.
          expect(outcome.error.details).toMatchObject({ method })
          expect(outcome.error.message).not.toContain(method)
        }
      }
      expect(hashLibrary(file)).toBe(before)
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    },
  )

  it('app.info names the library, its schema and when the engine started', async () => {
    const info = await engine.call('app.info', {})
    expect(info).toMatchObject({ ok: true, value: { libraryPath: file } })
    if (!info.ok) return
    const started = Date.parse((info.value as AppInfo).startedAt)
    expect(started).toBeLessThanOrEqual(Date.now())
    expect(started).toBeGreaterThan(Date.now() - 10 * 60_000)
  })

  it('refuses undeclared method names, including prototype keys', async () => {
    for (const name of ['nope', '__proto__', 'constructor', 'toString', 42, null]) {
      const outcome = await engine.call(name, {})
      expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    }
  })

  it('answers with the value on success and a coded error on a conflict', async () => {
    const created = await engine.call('datasets.create', { name: '  SAMM  ' })
    expect(created).toMatchObject({
      ok: true,
      value: { name: 'SAMM', clipCount: 0, subjectCount: 0 },
    })
    const clash = await engine.call('datasets.create', { name: 'SAMM' })
    expect(clash).toMatchObject({
      ok: false,
      error: { code: 'conflict', details: { field: 'name' } },
    })
  })

  it('renames a dataset and refuses unknown ids with not_found', async () => {
    const list = await engine.call('datasets.list', {})
    const existing = (list as { ok: true; value: { id: number; name: string }[] }).value.find(
      (d) => d.name === 'Existing',
    )!
    expect(
      await engine.call('datasets.rename', { id: existing.id, name: 'Renamed' }),
    ).toMatchObject({
      ok: true,
      value: { id: existing.id, name: 'Renamed' },
    })
    expect(await engine.call('datasets.rename', { id: 9999, name: 'Ghost' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })
  })

  it('pushes data.changed events after writes', async () => {
    const seen: unknown[] = []
    const off = engine.on('data.changed', (payload) => seen.push(payload))
    await engine.call('datasets.create', { name: 'Evented' })
    off()
    expect(seen).toEqual([expect.objectContaining({ entity: 'datasets' })])
  })
})
