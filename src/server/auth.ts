import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { cookieName } from './headers'

/** A fresh random token: 32 bytes, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** The token a request presents, from `?token=` or the cookie, if any. */
export function presentedToken(req: IncomingMessage, port: number): string | undefined {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const fromQuery = url.searchParams.get('token')
  if (fromQuery) return fromQuery
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=')
    if (key === cookieName(port)) return rest.join('=')
  }
  return undefined
}

/** Constant-time comparison of the presented token with the server's. */
export function tokenMatches(presented: string | undefined, token: string): boolean {
  if (presented === undefined) return false
  const a = Buffer.from(presented)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * Browsers send cookies with cross-site WebSocket upgrades, so a socket is accepted only
 * from our own origin (or from a non-browser client that sends none).
 */
export function originAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin
  if (origin === undefined) return true
  try {
    return new URL(origin).host === req.headers.host
  } catch {
    return false
  }
}
