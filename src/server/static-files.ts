import fs from 'node:fs'
import path from 'node:path'

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
}

/** A file to send: its absolute path and content type. */
export interface StaticFile {
  file: string
  type: string
}

/**
 * Maps a URL path to a file inside `root`, or undefined. Decoded `..`, absolute paths and
 * symlinks that lead outside `root` never resolve; `/` is index.html.
 */
export function resolveStatic(root: string, urlPath: string): StaticFile | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return undefined
  }
  if (decoded.includes('\0')) return undefined
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '')
  const base = fs.realpathSync(root)
  const candidate = path.resolve(base, relative)
  let real: string
  try {
    real = fs.realpathSync(candidate)
  } catch {
    return undefined
  }
  if (!real.startsWith(base + path.sep) || !fs.statSync(real).isFile()) return undefined
  return { file: real, type: MIME[path.extname(real)] ?? 'application/octet-stream' }
}
