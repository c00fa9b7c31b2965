import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createEngine, type Engine } from '../../../src/engine/api/engine'
import { startBrowserServer, type BrowserServer } from '../../../src/server/server'
import { tempDir } from '../../helpers/temp'

let engine: Engine
let server: BrowserServer
let cleanup: () => void

beforeAll(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  const webRoot = path.join(t.dir, 'web')
  fs.mkdirSync(webRoot)
  fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>MicroAU</title>')
  engine = createEngine({ libraryPath: path.join(t.dir, 'library.sqlite') })
  server = await startBrowserServer({ engine, webRoot, port: 0 })
})
afterAll(async () => {
  await server.close()
  engine.close()
  cleanup()
})

/** A client frame: FIN/RSV/opcode byte, then a masked (unless `masked` is false) payload. */
function frame(first: number, payload: Buffer, masked = true): Buffer {
  const mask = randomBytes(4)
  const length =
    payload.length < 126
      ? Buffer.from([(masked ? 0x80 : 0) | payload.length])
      : Buffer.from([(masked ? 0x80 : 0) | 126, payload.length >> 8, payload.length & 0xff])
  const body = masked ? payload.map((byte, i) => byte ^ mask[i % 4]) : payload
  return Buffer.concat([Buffer.from([first]), length, masked ? mask : Buffer.alloc(0), body])
}

/** A frame header that announces 8 GiB of payload (64-bit length), with no payload. */
const hugeLengthHeader = Buffer.concat([
  Buffer.from([0x82, 0x80 | 127]),
  Buffer.from([0, 0, 0, 2, 0, 0, 0, 0]),
  randomBytes(4),
])

const closeWithCode = (code: number) => {
  const payload = Buffer.alloc(2)
  payload.writeUInt16BE(code)
  return frame(0x88, payload)
}

const brokenFrames: Record<string, Buffer> = {
  'unmasked text frame': frame(0x81, Buffer.from('hi'), false),
  'reserved data opcode 0x3': frame(0x83, Buffer.from('hi')),
  'reserved control opcode 0xB': frame(0x8b, Buffer.alloc(0)),
  'RSV1 set with no extension': frame(0xc1, Buffer.from('hi')),
  'RSV2 and RSV3 set': frame(0xb1, Buffer.from('hi')),
  'close code 1005 (reserved)': closeWithCode(1005),
  'close code 999 (out of range)': closeWithCode(999),
  'close frame with a 1-byte payload': frame(0x88, Buffer.from([3])),
  'invalid UTF-8 in a text frame': frame(0x81, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])),
  'invalid UTF-8 in a close reason': frame(0x88, Buffer.from([0x03, 0xe8, 0xc3, 0x28])),
  'fragmented ping': frame(0x09, Buffer.from('x')),
  'control frame over 125 bytes': frame(0x89, Buffer.alloc(200)),
  'continuation with nothing to continue': frame(0x80, Buffer.from('x')),
  'new text frame inside a fragmented message': Buffer.concat([
    frame(0x01, Buffer.from('a')),
    frame(0x81, Buffer.from('b')),
  ]),
  'length header of 8 GiB': hugeLengthHeader,
}

/**
 * Opens a raw TCP connection, upgrades it to a WebSocket by hand, writes `bytes`, and
 * resolves when the server closes the connection (with whatever it sent after the 101).
 */
function sendRaw(bytes: Buffer): Promise<{ upgraded: boolean; closed: true }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1')
    let received = Buffer.alloc(0)
    let upgraded = false
    socket.on('connect', () =>
      socket.write(
        `GET /ws?token=${server.token} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n` +
          'Upgrade: websocket\r\nConnection: Upgrade\r\n' +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n` +
          'Sec-WebSocket-Version: 13\r\n\r\n',
      ),
    )
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk])
      if (!upgraded && received.includes('\r\n\r\n')) {
        upgraded = received.toString('latin1').startsWith('HTTP/1.1 101')
        socket.write(bytes)
      }
    })
    socket.on('error', reject)
    socket.on('close', () => resolve({ upgraded, closed: true }))
  })
}

function callAppInfo(): Promise<{ ok: boolean; value?: { version?: string } }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`)
    ws.on('open', () =>
      ws.send(JSON.stringify({ type: 'call', id: 1, method: 'app.info', input: {} })),
    )
    ws.on('message', (data) => {
      const reply = JSON.parse(data.toString()) as { id?: number; outcome: { ok: boolean } }
      if (reply.id !== 1) return
      ws.close()
      resolve(reply.outcome)
    })
    ws.on('error', reject)
  })
}

describe('browser mode under broken WebSocket frames', () => {
  for (const [kind, bytes] of Object.entries(brokenFrames)) {
    it(`closes only the socket that sent a ${kind}, and still answers app.info`, async () => {
      expect(await sendRaw(bytes)).toEqual({ upgraded: true, closed: true })
      expect(await callAppInfo()).toMatchObject({
        ok: true,
        value: { version: expect.any(String) },
      })
    })
  }

  it('closes a socket that sends a message over 4 MiB with code 1009, and carries on', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`)
    await new Promise((resolve) => ws.on('open', resolve))
    const closed = new Promise<number>((resolve) => ws.on('close', resolve))
    ws.send('x'.repeat(4 * 1024 * 1024 + 1))
    expect(await closed).toBe(1009)
    expect(await callAppInfo()).toMatchObject({ ok: true })
  })

  it('keeps other clients connected while one sends garbage', async () => {
    const bystander = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`)
    await new Promise((resolve) => bystander.on('open', resolve))
    await sendRaw(brokenFrames['unmasked text frame'])
    const reply = new Promise<string>((resolve) =>
      bystander.on('message', (d) => resolve(d.toString())),
    )
    bystander.send(JSON.stringify({ type: 'call', id: 2, method: 'app.info', input: {} }))
    expect(JSON.parse(await reply)).toMatchObject({ id: 2, outcome: { ok: true } })
    bystander.close()
  })
})
