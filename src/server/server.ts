import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { eventNames } from '../shared/api'
import { AppError } from '../shared/errors'
import { frameKeyFromPath } from '../shared/frame-url'
import { servableFramePath } from '../engine/media/frame-cache'
import type { Engine } from '../engine/api/engine'
import { newToken, originAllowed, presentedToken, tokenMatches } from './auth'
import { cookieName, securityHeaders } from './headers'
import { handleSocketMessage } from './socket-protocol'
import { resolveStatic } from './static-files'

/** A running browser-mode server. */
export interface BrowserServer {
  /** The URL to open: carries the token. */
  url: string
  port: number
  token: string
  close(): Promise<void>
}

/** Largest WebSocket message accepted, in bytes. */
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024

/**
 * Serves the built renderer over HTTP and the contract over a WebSocket at `/ws`, on
 * 127.0.0.1 only. Every request and socket must present the token (query or cookie);
 * anything else gets 401.
 */
export async function startBrowserServer(options: {
  engine: Engine
  webRoot: string
  port?: number
  token?: string
}): Promise<BrowserServer> {
  const token = options.token ?? newToken()
  if (!fs.existsSync(`${options.webRoot}/index.html`)) {
    throw new AppError(
      'missing_dependency',
      `The web UI is not built (${options.webRoot}/index.html is missing): run npm run build:web, or use npm run serve.`,
      { webRoot: options.webRoot },
    )
  }
  let port = 0
  const server = http.createServer((req, res) => {
    if (!tokenMatches(presentedToken(req, port), token)) {
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders })
      res.end('401: open the URL that `microau serve` printed (it carries the access token).\n')
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', ...securityHeaders }).end()
      return
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.searchParams.has('token')) {
      // Trade the URL token for a cookie so it leaves the address bar and history.
      url.searchParams.delete('token')
      res.writeHead(303, {
        Location: url.pathname + url.search,
        'Set-Cookie': `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        ...securityHeaders,
      })
      res.end()
      return
    }
    const frameKey = frameKeyFromPath(url.pathname)
    if (frameKey) {
      void serveFrame(res, options.engine.frameCacheDir, frameKey, req.method === 'HEAD')
      return
    }
    const file = resolveStatic(options.webRoot, url.pathname)
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders })
      res.end('404: not found\n')
      return
    }
    res.writeHead(200, {
      'Content-Type': file.type,
      'Cache-Control': 'no-store',
      ...securityHeaders,
    })
    if (req.method === 'HEAD') res.end()
    else fs.createReadStream(file.file).pipe(res)
  })

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    if (path !== '/ws' || !tokenMatches(presentedToken(req, port), token) || !originAllowed(req)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n')
      return
    }
    sockets.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, options.engine))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate()
        sockets.close()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/**
 * Frames are content-addressed: a key's bytes never change, so browsers may keep them. Only
 * regular files whose real path lies inside the cache are sent.
 */
async function serveFrame(
  res: http.ServerResponse,
  cacheDir: string,
  key: string,
  headOnly: boolean,
): Promise<void> {
  const file = await servableFramePath(cacheDir, key)
  if (!file) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders })
    res.end('404: frame not in the cache\n')
    return
  }
  res.writeHead(200, {
    'Content-Type': 'image/png',
    'Cache-Control': 'private, max-age=31536000, immutable',
    ...securityHeaders,
  })
  if (headOnly) res.end()
  else fs.createReadStream(file).pipe(res)
}

/**
 * One client's socket. A protocol error from `ws` (oversize message, unmasked frame, bad
 * close code, invalid UTF-8, reserved bits or opcode) is emitted as 'error' and `ws` then
 * closes that socket: listening for it keeps the error from reaching the process.
 */
function serveSocket(ws: WebSocket, engine: Engine): void {
  const unsubscribe = eventNames.map((event) =>
    engine.on(event, (payload) => ws.send(JSON.stringify({ type: 'event', event, payload }))),
  )
  ws.on('message', async (data, isBinary) => {
    const reply = await handleSocketMessage(engine, isBinary ? null : data.toString())
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply))
  })
  ws.on('error', () => ws.terminate())
  ws.on('close', () => unsubscribe.forEach((off) => off()))
}
