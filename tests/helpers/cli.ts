import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process'
import path from 'node:path'

/** The `microau` entry point as package.json's bin names it. */
export const CLI = path.resolve(import.meta.dirname, '../../bin/microau.js')

/** Runs `microau ...args` to completion. */
export function runMicroau(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: timeoutMs,
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** A running `microau serve --json`, with the URL it printed. */
export interface ServeProcess {
  url: string
  port: number
  child: ChildProcessWithoutNullStreams
  stop(): Promise<void>
}

/** Starts `microau serve --port 0 --json` on a library and waits for its URL. */
export function startServe(db: string, extraArgs: string[] = []): Promise<ServeProcess> {
  const child = spawn(process.execPath, [
    CLI,
    'serve',
    '--port',
    '0',
    '--json',
    '--db',
    db,
    ...extraArgs,
  ])
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    child.stderr.on('data', (d) => (err += String(d)))
    child.stdout.on('data', (d) => {
      out += String(d)
      const line = out.split('\n').find((l) => l.startsWith('{'))
      if (!line) return
      const { url, port } = JSON.parse(line) as { url: string; port: number }
      resolve({
        url,
        port,
        child,
        stop: () =>
          new Promise((done) => {
            child.once('exit', () => done())
            child.kill('SIGTERM')
          }),
      })
    })
    child.once('exit', (code) => reject(new Error(`microau serve exited with ${code}: ${err}`)))
  })
}

/**
 * `microau train` arguments for the smallest run that trains: the tiny preset, 2 folds, AUs
 * with at least 2 positive clips, the wasm backend; the iicl variant and 1 epoch unless said.
 */
export function trainTinyArgs(options: {
  db: string
  out: string
  seed: number
  variant?: string
  epochs?: number
}): string[] {
  return [
    'train',
    ...['--db', options.db, '--preset', 'tiny', '--variant', options.variant ?? 'iicl'],
    ...['--folds', '2', '--epochs', String(options.epochs ?? 1), '--seed', String(options.seed)],
    ...['--min-positives', '2', '--backend', 'wasm', '--out', options.out],
  ]
}
