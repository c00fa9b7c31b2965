// Whether the compiled CLI in out/cli still matches the sources it was built from.
import fs from 'node:fs'
import path from 'node:path'

/**
 * The compiled CLI entry under `outDir` (default `<root>/out/cli`) when it is there and every
 * source file recorded in its `sources.json` (written by vite.cli.config.ts) still has the
 * modification time it had at the build; undefined otherwise (not built, or a source changed
 * or went away since), so the caller runs the sources instead of stale code.
 * @param {string} root the project folder
 * @param {string} [outDir] the build folder
 * @returns {string | undefined}
 */
export function builtCliEntry(root, outDir = path.join(root, 'out', 'cli')) {
  const entry = path.join(outDir, 'index.js')
  let sources
  try {
    sources = JSON.parse(fs.readFileSync(path.join(outDir, 'sources.json'), 'utf8')).sources
  } catch {
    return undefined
  }
  if (!fs.existsSync(entry) || typeof sources !== 'object' || sources === null) return undefined
  for (const [file, mtimeMs] of Object.entries(sources)) {
    const stat = fs.statSync(file, { throwIfNoEntry: false })
    if (stat?.mtimeMs !== mtimeMs) return undefined
  }
  return entry
}
