import os from 'node:os'
import path from 'node:path'

/** The product name, which also names the user-data folder (as Electron derives it). */
export const PRODUCT_NAME = 'MicroAU Studio'

/**
 * The per-user data folder, the same one Electron's app.getPath('userData') gives, so the
 * app, the CLI and browser mode open the same default library.
 */
export function userDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  if (platform === 'win32') {
    return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), PRODUCT_NAME)
  }
  if (platform === 'darwin') {
    return path.join(os.homedir(), 'Library', 'Application Support', PRODUCT_NAME)
  }
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), PRODUCT_NAME)
}

/** The library opened when none is named: `library.sqlite` in the user-data folder. */
export function defaultLibraryPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(userDataDir(env), 'library.sqlite')
}
