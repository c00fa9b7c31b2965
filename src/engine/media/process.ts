import { spawn } from 'node:child_process'
import type { Readable, Writable } from 'node:stream'
import { AppError } from '../../shared/errors'

/** How a tool process ended. `error` is set when it could not be started at all. */
export interface ProcessExit {
  code: number | null
  signal: NodeJS.Signals | null
  error?: NodeJS.ErrnoException
}

/** A running ffmpeg/ffprobe with piped stdio. */
export interface ToolProcess {
  stdin: Writable
  stdout: Readable
  /** The extra output pipes asked for (`outputs`), on file descriptors 3, 4, … in order. */
  outputs: Readable[]
  /** Resolves once the process has exited and its pipes have closed; never rejects. */
  exited: Promise<ProcessExit>
  /** The last few kilobytes the tool wrote to stderr. */
  stderr(): string
  /** Kills the process (SIGKILL) if it still runs. */
  kill(): void
}

const STDERR_KEEP = 16_384

/**
 * Starts a tool with piped stdio (and `outputs` more output pipes on fd 3, 4, …: ffmpeg's
 * `pipe:3`). The process is killed when `signal` fires; the caller decides what that means
 * (usually a 'cancelled' AppError once `exited` resolves).
 */
export function startTool(
  bin: string,
  args: readonly string[],
  options: { signal?: AbortSignal; outputs?: number } = {},
): ToolProcess {
  const extra = Array.from({ length: options.outputs ?? 0 }, () => 'pipe' as const)
  const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe', ...extra], windowsHide: true })
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (text: string) => {
    stderr = (stderr + text).slice(-STDERR_KEEP)
  })
  // A tool that exits before reading all of stdin makes writes fail with EPIPE; the exit
  // code tells the caller what went wrong, so the stream error itself is not fatal.
  child.stdin.on('error', () => {})
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  const { signal } = options
  signal?.addEventListener('abort', kill, { once: true })
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      resolve({ code: null, signal: null, error }),
    )
    child.once('close', (code, exitSignal) => resolve({ code, signal: exitSignal }))
  }).finally(() => signal?.removeEventListener('abort', kill))
  const outputs = extra.map((_, i) => child.stdio[3 + i] as Readable)
  return { stdin: child.stdin!, stdout: child.stdout!, outputs, exited, stderr: () => stderr, kill }
}

/** Output of a tool run to completion. */
export interface ToolRun {
  exit: ProcessExit
  stdout: string
  stderr: string
}

/**
 * Runs a tool to completion and collects its output. Never rejects for a non-zero exit
 * (callers turn that into an error that names their file) nor for `signal` (callers check
 * it); rejects with 'missing_dependency' when the binary cannot be started, and with
 * 'internal' when it had to be killed after `timeoutMs`.
 */
export async function runTool(
  bin: string,
  args: readonly string[],
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<ToolRun> {
  const timeout = options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined
  const active = [options.signal, timeout].filter((s): s is AbortSignal => s !== undefined)
  const proc = startTool(bin, args, { signal: active.length ? AbortSignal.any(active) : undefined })
  proc.stdin.end()
  const chunks: Buffer[] = []
  proc.stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
  const exit = await proc.exited
  if (exit.error) throw cannotStart(bin, exit.error)
  if (timeout?.aborted) {
    throw new AppError('internal', `${bin} did not finish within ${options.timeoutMs} ms`, { bin })
  }
  return { exit, stdout: Buffer.concat(chunks).toString('utf8'), stderr: proc.stderr() }
}

/** The 'missing_dependency' error for a binary that could not be started. */
export function cannotStart(bin: string, error: NodeJS.ErrnoException): AppError {
  return new AppError(
    'missing_dependency',
    `Cannot run ${bin}: ${error.code === 'ENOENT' ? 'file not found' : error.message}`,
    { bin, code: error.code },
  )
}

/**
 * The gist of a tool's failure for an error message: its last meaningful stderr lines, or
 * the exit status when it printed nothing.
 */
export function failureText(exit: ProcessExit, stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    // '[mov,mp4,m4a,3gp,3g2,mj2 @ 0x5563…] ' says nothing to a user.
    .map((line) => line.replace(/\[[^\]]* @ 0x[0-9a-f]+\]\s*/g, '').trim())
    .filter((line) => line.length > 0)
  if (lines.length > 0) return lines.slice(-3).join('; ')
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`
}
