/**
 * Path text as the engine's machine writes it. The renderer has no `node:path`, and the
 * engine may run on Windows, so the separator is read from the path itself.
 */

/** True for a POSIX absolute path, a Windows drive path or a UNC path (as the contract wants). */
export function isAbsolutePath(p: string): boolean {
  return /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(p)
}

/** The separator a path uses: '\' for Windows paths, '/' otherwise. */
export function separatorOf(p: string): '/' | '\\' {
  return /^([A-Za-z]:\\|\\\\)/.test(p) || (p.includes('\\') && !p.includes('/')) ? '\\' : '/'
}

/** The path without trailing separators (a root stays a root). */
function trimEnd(p: string): string {
  const trimmed = p.replace(/[\\/]+$/, '')
  if (trimmed === '') return p.slice(0, 1)
  if (/^[A-Za-z]:$/.test(trimmed)) return trimmed + separatorOf(p)
  return trimmed
}

/** The last part of a path: '/a/b/c.xlsx' → 'c.xlsx'. */
export function baseName(p: string): string {
  const trimmed = p.replace(/[\\/]+$/, '')
  return trimmed.slice(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1)
}

/** The folder a path is in: '/a/b/c.xlsx' → '/a/b'; a root has none (null). */
export function parentOf(p: string): string | null {
  const trimmed = trimEnd(p)
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'))
  if (cut < 0 || cut === trimmed.length - 1) return null
  const parent = trimmed.slice(0, cut)
  if (parent === '') return trimmed.slice(0, 1)
  if (/^[A-Za-z]:$/.test(parent)) return parent + separatorOf(p)
  return parent
}

/** A name inside a folder, with the folder's own separator. */
export function joinPath(folder: string, name: string): string {
  const base = trimEnd(folder)
  return /[\\/]$/.test(base) ? base + name : base + separatorOf(folder) + name
}

/** The name with its extension replaced (or added): ('a.csv', 'xlsx') → 'a.xlsx'. */
export function withExtension(name: string, extension: string | null): string {
  const stem = name.replace(/\.[A-Za-z0-9]{1,10}$/, '')
  return extension ? `${stem}.${extension}` : stem
}

/** A dataset name made safe as a file name: no separators or characters Windows refuses. */
export function fileStem(name: string): string {
  const safe = name
    .replace(/[\\/:*?"<>|]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
  return safe === '' || /^\.+$/.test(safe) ? 'export' : safe
}

/** True when the path ends in one of the extensions (no dot, any case). */
export function hasExtension(p: string, extensions: readonly string[]): boolean {
  const lower = p.toLowerCase()
  return extensions.some((e) => lower.endsWith(`.${e.toLowerCase()}`))
}
