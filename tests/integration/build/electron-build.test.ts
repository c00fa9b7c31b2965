import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../../..')
const out = (...p: string[]) => path.join(root, 'out', ...p)

beforeAll(() => {
  const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, encoding: 'utf8' })
  expect(build.status, build.stderr).toBe(0)
}, 180_000)

describe('the Electron build', () => {
  it('bundles a sandbox-ready CommonJS preload that requires nothing but electron', () => {
    const preload = fs.readFileSync(out('preload', 'index.cjs'), 'utf8')
    const requires = [...preload.matchAll(/require\((["'])([^"']+)\1\)/g)].map((m) => m[2])
    expect(new Set(requires)).toEqual(new Set(['electron']))
    expect(preload).toContain('exposeInMainWorld')
  })

  it('builds the main process with the window locked down', () => {
    const main = fs.readFileSync(out('main', 'index.js'), 'utf8')
    expect(main).toMatch(/contextIsolation:\s*true/)
    expect(main).toMatch(/sandbox:\s*true/)
    expect(main).toMatch(/nodeIntegration:\s*false/)
    expect(main).toContain('requestSingleInstanceLock')
  })

  it('ships the renderer with a strict CSP', () => {
    const html = fs.readFileSync(out('renderer', 'index.html'), 'utf8')
    expect(html).toContain("script-src 'self'")
    expect(html).not.toContain('unsafe-inline')
  })
})
