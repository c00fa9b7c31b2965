import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { AppError } from '../../shared/errors'
import type { DirectoryEntry, DirectoryListing } from '../../shared/files'

/** At most this many entries come back; a folder of 100 000 frames is cut, and says so. */
export const LISTING_LIMIT = 2000

/**
 * Lists a folder for a path picker: folders first, then files (only those ending in one of
 * `extensions` when given), each sorted by name; hidden entries (dot files) are left out.
 * A missing or unreadable folder is an error that names it.
 */
export async function listDirectory(
  folder: string = os.homedir(),
  extensions?: readonly string[],
): Promise<DirectoryListing> {
  const dir = path.resolve(folder)
  let dirents: import('node:fs').Dirent[]
  try {
    dirents = await fs.readdir(dir, { withFileTypes: true })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'ENOTDIR'
          ? 'is not a folder'
          : code === 'EACCES' || code === 'EPERM'
            ? 'cannot be read (permission denied)'
            : `cannot be read (${code ?? String(error)})`
    throw new AppError(code === 'ENOENT' ? 'not_found' : 'invalid_input', `${dir} ${why}.`, {
      field: 'path',
      path: dir,
    })
  }
  const wanted = extensions?.map((e) => `.${e.toLowerCase()}`)
  const entries: DirectoryEntry[] = []
  for (const d of dirents) {
    if (d.name.startsWith('.')) continue
    const full = path.join(dir, d.name)
    // Links are followed, so a linked folder opens like a folder.
    const stat = d.isSymbolicLink() ? await fs.stat(full).catch(() => null) : null
    const isDir = stat ? stat.isDirectory() : d.isDirectory()
    const isFile = stat ? stat.isFile() : d.isFile()
    if (isDir) entries.push({ name: d.name, path: full, kind: 'directory', size: null })
    else if (isFile && (!wanted || wanted.some((e) => d.name.toLowerCase().endsWith(e)))) {
      entries.push({ name: d.name, path: full, kind: 'file', size: null })
    }
  }
  entries.sort((a, b) =>
    a.kind === b.kind
      ? a.name.localeCompare(b.name, undefined, { numeric: true })
      : a.kind === 'directory'
        ? -1
        : 1,
  )
  const shown = entries.slice(0, LISTING_LIMIT)
  await Promise.all(
    shown
      .filter((e) => e.kind === 'file')
      .map(async (e) => {
        e.size = (await fs.stat(e.path).catch(() => null))?.size ?? null
      }),
  )
  const parent = path.dirname(dir)
  return {
    path: dir,
    parent: parent === dir ? null : parent,
    entries: shown,
    truncated: entries.length > LISTING_LIMIT,
  }
}
