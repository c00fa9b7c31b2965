import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../../../src/engine/api/engine'
import { LISTING_LIMIT } from '../../../src/engine/files/list-directory'
import { callOk } from '../../helpers/engine'
import { tempDir } from '../../helpers/temp'

let engine: Engine
let dir: string
let cleanup: () => void

beforeAll(() => {
  const t = tempDir()
  dir = t.dir
  cleanup = t.cleanup
  engine = createEngine({ libraryPath: path.join(dir, 'library.sqlite') })
  const tree = path.join(dir, 'tree')
  for (const folder of ['sub10', 'sub2', 'Beta', '.hidden-folder']) {
    fs.mkdirSync(path.join(tree, folder), { recursive: true })
  }
  fs.writeFileSync(path.join(tree, 'codes.XLSX'), 'x'.repeat(1234))
  fs.writeFileSync(path.join(tree, 'notes.txt'), 'hello')
  fs.writeFileSync(path.join(tree, 'a.csv'), 'a,b\r\n')
  fs.writeFileSync(path.join(tree, '.DS_Store'), 'finder')
  fs.symlinkSync(path.join(tree, 'Beta'), path.join(tree, 'linked'))
})
afterAll(() => {
  engine.close()
  cleanup()
})

describe('files.list', () => {
  it('lists folders first, then files, each by name (numbers in order), without hidden ones', async () => {
    const tree = path.join(dir, 'tree')
    const listing = await callOk(engine, 'files.list', { path: tree })
    expect(listing.path).toBe(tree)
    expect(listing.parent).toBe(dir)
    expect(listing.truncated).toBe(false)
    expect(listing.entries.map((e) => [e.name, e.kind])).toEqual([
      ['Beta', 'directory'],
      ['linked', 'directory'],
      ['sub2', 'directory'],
      ['sub10', 'directory'],
      ['a.csv', 'file'],
      ['codes.XLSX', 'file'],
      ['notes.txt', 'file'],
    ])
    const codes = listing.entries.find((e) => e.name === 'codes.XLSX')
    expect(codes).toEqual({
      name: 'codes.XLSX',
      path: path.join(tree, 'codes.XLSX'),
      kind: 'file',
      size: 1234,
    })
    expect(listing.entries.find((e) => e.name === 'sub2')?.size).toBeNull()
  })

  it('keeps only files of the wanted types (any case) and every folder', async () => {
    const listing = await callOk(engine, 'files.list', {
      path: path.join(dir, 'tree'),
      extensions: ['xlsx', 'CSV'],
    })
    expect(listing.entries.map((e) => e.name)).toEqual([
      'Beta',
      'linked',
      'sub2',
      'sub10',
      'a.csv',
      'codes.XLSX',
    ])
  })

  it('cuts a huge folder at the listing limit and says so', async () => {
    const many = path.join(dir, 'many')
    fs.mkdirSync(many)
    for (let i = 0; i <= LISTING_LIMIT; i++) fs.writeFileSync(path.join(many, `img${i}.jpg`), '')
    const listing = await callOk(engine, 'files.list', { path: many })
    expect(listing.truncated).toBe(true)
    expect(listing.entries).toHaveLength(LISTING_LIMIT)
    expect(listing.entries.slice(0, 3).map((e) => e.name)).toEqual([
      'img0.jpg',
      'img1.jpg',
      'img2.jpg',
    ])
  })

  it('lists the home folder when no path is given', async () => {
    const listing = await callOk(engine, 'files.list', {})
    expect(listing.path).toBe(path.resolve(os.homedir()))
  })

  it('names the path of a missing folder, and of a file that is not a folder', async () => {
    const missing = path.join(dir, 'nope', 'deeper')
    const outcome = await engine.call('files.list', { path: missing })
    expect(outcome).toEqual({
      ok: false,
      error: {
        code: 'not_found',
        message: `${missing} does not exist.`,
        details: { field: 'path', path: missing },
      },
    })
    const file = path.join(dir, 'tree', 'notes.txt')
    const notFolder = await engine.call('files.list', { path: file })
    expect(notFolder).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: `${file} is not a folder.` },
    })
  })

  it('refuses relative paths and odd extensions through the schema', async () => {
    for (const input of [
      { path: 'tree' },
      { path: './tree' },
      { path: '' },
      { path: dir, extensions: ['.csv'] },
      { path: dir, extensions: ['c/sv'] },
      { path: dir, unexpected: true },
    ]) {
      const outcome = await engine.call('files.list', input)
      expect(outcome, JSON.stringify(input)).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      })
    }
    const relative = await engine.call('files.list', { path: 'tree' })
    expect(relative.ok ? '' : relative.error.message).toContain('must be an absolute path')
  })
})
