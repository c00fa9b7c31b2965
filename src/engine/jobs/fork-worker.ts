import { fork } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { FromWorker, SpawnWorker } from './worker-protocol'

/**
 * How to start the worker entry that matches the running code: from the compiled CLI
 * (out/cli, every file flat beside `worker.js`) it is `worker.js` run by plain Node; from the
 * TypeScript sources it is `worker-main.ts` through tsx's loader, resolved from here
 * (`--import tsx` alone would resolve from the cwd).
 */
function workerCommand(): { entry: string; execArgv: string[] } {
  if (!import.meta.filename.endsWith('.ts')) {
    return { entry: path.join(import.meta.dirname, 'worker.js'), execArgv: [] }
  }
  const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
  return {
    entry: path.join(import.meta.dirname, 'worker-main.ts'),
    execArgv: ['--import', tsxLoader],
  }
}

/**
 * Workers for the CLI and browser mode: `child_process.fork` of the worker entry, compiled or
 * from source like the code that forks it (Electron uses utilityProcess with the bundled
 * entry instead).
 */
export const forkWorker: SpawnWorker = () => {
  const { entry, execArgv } = workerCommand()
  const child = fork(entry, [], {
    execArgv,
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
