import { utilityProcess } from 'electron'
import type { FromWorker, SpawnWorker } from '../engine/jobs/worker-protocol'

/**
 * Job workers inside the app: Electron utility processes running the bundled worker entry,
 * so tensor work never touches the main process.
 */
export function utilityWorker(entry: string): SpawnWorker {
  return () => {
    const child = utilityProcess.fork(entry, [], { serviceName: 'MicroAU job', stdio: 'inherit' })
    return {
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', (message: FromWorker) => listener(message)),
      onExit: (listener) => child.once('exit', (code) => listener(code)),
      kill: () => void child.kill(),
    }
  }
}
