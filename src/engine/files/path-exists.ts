import fs from 'node:fs/promises'

/** True when something (a file or a folder) is at `file`, false when nothing is or it cannot be seen. */
export async function pathExists(file: string): Promise<boolean> {
  try {
    await fs.access(file)
    return true
  } catch {
    return false
  }
}
