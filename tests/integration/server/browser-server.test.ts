import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createEngine, type Engine } from '../../../src/engine/api/engine'
import { startBrowserServer, type BrowserServer } from '../../../src/server/server'
import { tempDir } from '../../helpers/temp'

let engine: Engine
let server: BrowserServer
let base: string
let cleanup: () => void

beforeAll(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  const webRoot = path.join(t.dir, 'web')
  fs.mkdirSync(path.join(webRoot, 'assets'), { recursive: true })
  fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>MicroAU</title>')
  fs.writeFileSync(path.join(webRoot, 'assets', 'app.js'), 'console.log(1)')
  fs.writeFileSync(path.join(t.dir, 'secret.txt'), 'outside the web root')
  engine = createEngine({ libraryPath: path.join(t.dir, 'library.sqlite') })
  server = await startBrowserServer({ engine, webRoot, port: 0 })
  base = `http://127.0.0.1:${server.port}`
})
afterAll(async () => {
  await server.close()
  engine.close()
  cleanup()
})

function openSocket(
  headers: Record<string, string> = {},
  query = '',
): Promise<{ ws: WebSocket; status: 'open' | number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws${query}`, { headers })
    ws.on('open', () => resolve({ ws, status: 'open' }))
    ws.on('unexpected-response', (_req, res) => resolve({ ws, status: res.statusCode ?? 0 }))
    ws.on('error', () => resolve({ ws, status: -1 }))
  })
}

describe('browser mode', () => {
  it('binds to 127.0.0.1 and prints a URL carrying a long random token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/)
  })

  it('answers 401 to any request without the token, or with a wrong one', async () => {
    for (const url of [
      `${base}/`,
      `${base}/index.html`,
      `${base}/assets/app.js`,
      `${base}/?token=wrong`,
    ]) {
      expect((await fetch(url)).status).toBe(401)
    }
  })

  it('trades the URL token for an HttpOnly cookie, then serves the app with a strict CSP', async () => {
    const first = await fetch(server.url, { redirect: 'manual' })
    expect(first.status).toBe(303)
    const cookie = first.headers.get('set-cookie')!
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Strict')
    const page = await fetch(`${base}/`, { headers: { cookie: cookie.split(';')[0] } })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('MicroAU')
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
  })

  it('never serves a file outside the web root', async () => {
    for (const p of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%00index.html',
    ]) {
      const res = await fetch(`${base}${p}?token=${server.token}`, { redirect: 'manual' })
      // The token redirect comes first; follow it with the cookie it set.
      const cookie = res.headers.get('set-cookie')?.split(';')[0] ?? ''
      const followed = await fetch(`${base}${p}`, { headers: { cookie } })
      expect(followed.status).toBe(404)
    }
  })

  it('serves cached frames by content key only', async () => {
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8ffff3f0005fe02fea7d6a4c60000000049454e44ae426082',
      'hex',
    )
    const key = createHash('sha256').update(png).digest('hex')
    fs.mkdirSync(path.join(engine.frameCacheDir, key.slice(0, 2)), { recursive: true })
    fs.writeFileSync(path.join(engine.frameCacheDir, key.slice(0, 2), `${key}.png`), png)
    const first = await fetch(`${base}/?token=${server.token}`, { redirect: 'manual' })
    const cookie = first.headers.get('set-cookie')!.split(';')[0]
    const frame = await fetch(`${base}/frames/${key}.png`, { headers: { cookie } })
    expect(frame.status).toBe(200)
    expect(frame.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await frame.arrayBuffer())).toEqual(png)
    expect((await fetch(`${base}/frames/${key}.png`)).status).toBe(401)
    for (const p of [
      `/frames/${'0'.repeat(64)}.png`,
      `/frames/${key.toUpperCase()}.png`,
      '/frames/..%2f..%2flibrary.sqlite',
      `/frames/${key}.png/..`,
    ]) {
      expect((await fetch(`${base}${p}`, { headers: { cookie } })).status).toBe(404)
    }
  })

  it('does not follow a link planted in the frame cache out of it', async () => {
    const key = 'e'.repeat(64)
    const planted = path.join(engine.frameCacheDir, key.slice(0, 2), `${key}.png`)
    fs.mkdirSync(path.dirname(planted), { recursive: true })
    fs.symlinkSync(path.resolve(engine.frameCacheDir, '..', 'secret.txt'), planted)
    expect(fs.readFileSync(planted, 'utf8')).toBe('outside the web root')
    const first = await fetch(`${base}/?token=${server.token}`, { redirect: 'manual' })
    const cookie = first.headers.get('set-cookie')!.split(';')[0]
    const res = await fetch(`${base}/frames/${key}.png`, { headers: { cookie } })
    expect(res.status).toBe(404)
    expect(await res.text()).not.toContain('outside the web root')
  })

  it('closes a WebSocket without the token, with a wrong one, or from another origin', async () => {
    expect((await openSocket()).status).toBe(401)
    expect((await openSocket({}, '?token=nope')).status).toBe(401)
    expect(
      (await openSocket({ Origin: 'http://evil.example' }, `?token=${server.token}`)).status,
    ).toBe(401)
  })

  it('carries contract calls and events over the WebSocket with the token', async () => {
    const { ws, status } = await openSocket({}, `?token=${server.token}`)
    expect(status).toBe('open')
    const messages: { type: string; id?: number; outcome?: { ok: boolean }; event?: string }[] = []
    ws.on('message', (data) => messages.push(JSON.parse(data.toString())))
    ws.send(
      JSON.stringify({
        type: 'call',
        id: 7,
        method: 'datasets.create',
        input: { name: 'Over the wire' },
      }),
    )
    ws.send('not json at all')
    ws.send(JSON.stringify({ type: 'call', id: 8, method: 'datasets.create', input: { name: 5 } }))
    await expect.poll(() => messages.length).toBeGreaterThanOrEqual(4)
    ws.close()
    expect(messages.find((m) => m.id === 7)?.outcome).toMatchObject({
      ok: true,
      value: { name: 'Over the wire' },
    })
    expect(messages.find((m) => m.id === 8)?.outcome).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    })
    expect(messages.find((m) => m.id === null)?.outcome).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    })
    expect(messages.find((m) => m.type === 'event')).toMatchObject({ event: 'data.changed' })
  })
})
