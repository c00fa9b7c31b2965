import { fork } from 'node:child_process'
import path from 'node:path'
import type { FromWorker, SpawnWorker } from './worker-protocol'

const workerEntry = path.join(import.meta.dirname, 'worker-main.ts')

/**
 * Workers for the CLI and browser mode: `child_process.fork` of the worker entry, run from
 * source through tsx (Electron uses utilityProcess with the bundled entry instead).
 */
export const forkWorker: SpawnWorker = () => {
  const child = fork(workerEntry, [], {
    execArgv: ['--import', 'tsx'],
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
