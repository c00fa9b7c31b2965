import path from 'node:path'
import { app, BrowserWindow } from 'electron'
import { createEngine, type Engine } from '../engine/api/engine'
import { defaultLibraryPath } from '../engine/paths'
import { registerFrameScheme, serveFrames } from './frame-protocol'
import { hostEngineOverIpc } from './ipc-host'
import { installMenu } from './menu'
import { utilityWorker } from './utility-worker'
import { hardenApp } from './security'
import { createMainWindow } from './window'

const outDir = path.resolve(import.meta.dirname, '..')
const rendererUrl = new URL(`file://${path.join(outDir, 'renderer')}/`).href

/** True for the app's own pages (the built renderer, or the dev server in development). */
function isAppUrl(url: string): boolean {
  const dev = process.env.ELECTRON_RENDERER_URL
  return url.startsWith(rendererUrl) || (dev !== undefined && url.startsWith(dev))
}

/** `--library=FILE` on the command line, else the default library in the user-data folder. */
function libraryFromArgs(): string {
  const arg = process.argv.find((a) => a.startsWith('--library='))
  return arg ? path.resolve(arg.slice('--library='.length)) : defaultLibraryPath()
}

registerFrameScheme()

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  let engine: Engine | undefined
  let window: BrowserWindow | undefined

  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore()
    window?.focus()
  })

  void app.whenReady().then(() => {
    hardenApp(isAppUrl)
    const libraryPath = libraryFromArgs()
    engine = createEngine({
      libraryPath,
      demo: libraryPath === defaultLibraryPath(),
      spawnWorker: utilityWorker(path.join(outDir, 'main', 'worker.js')),
    })
    serveFrames(() => engine!.frameCacheDir)
    window = createMainWindow(outDir)
    hostEngineOverIpc(engine, window, isAppUrl)
    installMenu(window, (file) => {
      // A different library is a different engine: relaunch on it.
      app.relaunch({
        args: [
          ...process.argv.slice(1).filter((a) => !a.startsWith('--library=')),
          `--library=${file}`,
        ],
      })
      app.exit(0)
    })
  })

  app.on('window-all-closed', () => app.quit())
  app.on('will-quit', () => engine?.close())
}
