/** Folder listings for path pickers (the engine's file system, which is the user's). */

/** One entry of a folder. */
export interface DirectoryEntry {
  name: string
  /** Absolute path. */
  path: string
  kind: 'directory' | 'file'
  /** Bytes, for files. */
  size: number | null
}

/** A folder and what it holds: folders first, then files, each sorted by name. */
export interface DirectoryListing {
  path: string
  /** The folder above, or null at a root. */
  parent: string | null
  entries: DirectoryEntry[]
  /** True when entries were cut at the listing limit. */
  truncated: boolean
}
