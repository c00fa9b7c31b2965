import { fork } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { FromWorker, SpawnWorker } from './worker-protocol'

const workerEntry = path.join(import.meta.dirname, 'worker-main.ts')
/** tsx's loader, resolved from here: `--import tsx` alone would resolve from the cwd. */
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

/**
 * Workers for the CLI and browser mode: `child_process.fork` of the worker entry, run from
 * source through tsx (Electron uses utilityProcess with the bundled entry instead).
 */
export const forkWorker: SpawnWorker = () => {
  const child = fork(workerEntry, [], {
    execArgv: ['--import', tsxLoader],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  })
  return {
    send: (message) => {
      if (child.connected) child.send(message)
    },
    onMessage: (listener) => child.on('message', (m) => listener(m as FromWorker)),
    onExit: (listener) => child.once('exit', (code) => listener(code)),
    kill: () => child.kill('SIGKILL'),
  }
}
