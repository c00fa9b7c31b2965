import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'microau-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) }
}

/**
 * SHA-256 over a SQLite library's main file and its WAL (when present), so a test can
 * show that nothing at all was written.
 */
export function hashLibrary(file: string): string {
  const hash = crypto.createHash('sha256')
  for (const part of [file, `${file}-wal`]) {
    hash.update(part.endsWith('-wal') ? '|wal|' : '|db|')
    if (fs.existsSync(part)) hash.update(fs.readFileSync(part))
  }
  return hash.digest('hex')
}
