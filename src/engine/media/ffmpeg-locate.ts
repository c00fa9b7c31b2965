import fs from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { AppError } from '../../shared/errors'
import { runTool } from './process'

/** Where an ffmpeg binary came from, in the order they are tried. */
export type FfmpegSource = 'env' | 'ffmpeg-static' | 'ffmpeg-installer' | 'path'

/** The resolved tools, reported to the user (settings page, `microau doctor`). */
export interface FfmpegTools {
  ffmpeg: string
  /** null when no ffprobe was found: probing then falls back to `ffmpeg -i` and counting. */
  ffprobe: string | null
  source: FfmpegSource
  /** What `ffmpeg -version` calls itself, e.g. '5.1.9-0+deb12u1' or 'N-47683-g0e8eb07980-static'. */
  version: string
  /**
   * Output options that pass every decoded frame through with its own timestamp, never
   * dropping or duplicating one: `-fps_mode passthrough` where this ffmpeg knows it (5.1 and
   * later), else `-vsync passthrough`.
   */
  passthrough: readonly string[]
}

/** Where to look: the environment to read and which sources to try (all, by default). */
export interface LocateOptions {
  env?: NodeJS.ProcessEnv
  sources?: readonly FfmpegSource[]
}

/**
 * The order ffmpeg is looked for (and the settings page lists): the user's choice, then the
 * system's ffmpeg (kept up to date by its package manager; Debian's 5.1 decodes 1.8× faster
 * than @ffmpeg-installer's 2018 build, see BENCHMARKS.md), then the npm packages' binaries.
 */
export const FFMPEG_SOURCES: readonly FfmpegSource[] = [
  'env',
  'path',
  'ffmpeg-static',
  'ffmpeg-installer',
]

const HOW_TO_GET_FFMPEG =
  'Install it (Debian/Ubuntu: sudo apt install ffmpeg; Fedora: sudo dnf install ffmpeg; ' +
  'macOS: brew install ffmpeg; Windows: winget install Gyan.FFmpeg) or set FFMPEG_PATH to the ' +
  'ffmpeg binary (and FFPROBE_PATH to ffprobe).'

const requireOptional = createRequire(import.meta.url)

interface Attempt {
  source: FfmpegSource
  path: string | null
  problem: string
}

/**
 * Finds ffmpeg (and ffprobe) in this order: FFMPEG_PATH / FFPROBE_PATH, `ffmpeg` on PATH, the
 * ffmpeg-static package when its binary was downloaded, then @ffmpeg-installer/ffmpeg.
 * Each candidate must answer `-version`. A missing optional package is a normal outcome; an
 * FFMPEG_PATH or FFPROBE_PATH that does not point at a working binary is an error, since the
 * user asked for it. ffprobe is taken from FFPROBE_PATH, beside ffmpeg, from PATH, or from
 * the @ffprobe-installer/ffprobe dependency (neither ffmpeg package ships one), and is null
 * only when none works.
 */
export async function locateFfmpeg(options: LocateOptions = {}): Promise<FfmpegTools> {
  const env = options.env ?? process.env
  const attempts: Attempt[] = []
  for (const source of options.sources ?? FFMPEG_SOURCES) {
    const candidate = await candidatePath(source, env)
    if (candidate === null) {
      attempts.push({ source, path: null, problem: notFoundText(source) })
      continue
    }
    const version = await toolVersion(candidate)
    if (typeof version !== 'string') {
      if (source === 'env') throw badEnvPath('FFMPEG_PATH', candidate, version.problem)
      attempts.push({ source, path: candidate, problem: version.problem })
      continue
    }
    const [ffprobe, passthrough] = await Promise.all([
      findFfprobe(candidate, env),
      passthroughOptions(candidate),
    ])
    return { ffmpeg: candidate, ffprobe, source, version, passthrough }
  }
  throw new AppError('missing_dependency', `ffmpeg was not found. ${HOW_TO_GET_FFMPEG}`, {
    tried: attempts,
  })
}

let located: Promise<FfmpegTools> | null = null

/**
 * The tools for this process, located once (a failure is not remembered, so installing
 * ffmpeg and retrying works without a restart).
 */
export function ffmpegTools(): Promise<FfmpegTools> {
  located ??= locateFfmpeg().catch((error: unknown) => {
    located = null
    throw error
  })
  return located
}

async function candidatePath(source: FfmpegSource, env: NodeJS.ProcessEnv): Promise<string | null> {
  switch (source) {
    case 'env':
      return env.FFMPEG_PATH ? path.resolve(env.FFMPEG_PATH) : null
    case 'ffmpeg-static': {
      // The package exports the path where its install script put the binary, or null on
      // unsupported platforms; the download may have failed, so the file is checked too.
      const binary = loadOptional('ffmpeg-static')
      return typeof binary === 'string' && (await isExecutable(unpacked(binary)))
        ? unpacked(binary)
        : null
    }
    case 'ffmpeg-installer': {
      // Throws (a string) when its platform package is missing.
      const pkg = loadOptional('@ffmpeg-installer/ffmpeg')
      const binary = isRecord(pkg) && typeof pkg.path === 'string' ? unpacked(pkg.path) : null
      return binary !== null && (await isExecutable(binary)) ? binary : null
    }
    case 'path':
      return findOnPath('ffmpeg', env)
  }
}

function notFoundText(source: FfmpegSource): string {
  switch (source) {
    case 'env':
      return 'FFMPEG_PATH is not set'
    case 'ffmpeg-static':
      return 'package ffmpeg-static is not installed or has no binary'
    case 'ffmpeg-installer':
      return 'package @ffmpeg-installer/ffmpeg is not installed for this platform'
    case 'path':
      return 'no ffmpeg on PATH'
  }
}

function loadOptional(name: string): unknown {
  try {
    return requireOptional(name)
  } catch {
    return null
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

/** Inside a packaged Electron app, binaries live in app.asar.unpacked, not in the archive. */
function unpacked(binary: string): string {
  return binary.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2')
}

function executableName(name: string): string {
  return process.platform === 'win32' ? `${name}.exe` : name
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    const stat = await fs.stat(file)
    if (!stat.isFile()) return false
    await fs.access(file, fs.constants.X_OK)
    return true
  } catch {
    return false
  }
}

async function findOnPath(name: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter((dir) => dir.length > 0)
  for (const dir of dirs) {
    const file = path.resolve(dir, executableName(name))
    if (await isExecutable(file)) return file
  }
  return null
}

/** The version a tool reports, or why it could not be asked. */
async function toolVersion(bin: string): Promise<string | { problem: string }> {
  if (!(await isExecutable(bin))) return { problem: 'there is no executable file there' }
  try {
    const run = await runTool(bin, ['-version'], { timeoutMs: 15_000 })
    const match = /^\S+ version (\S+)/.exec(run.stdout)
    if (run.exit.code === 0 && match) return match[1]
    return { problem: 'does not answer -version like ffmpeg/ffprobe' }
  } catch (error) {
    return { problem: (error as Error).message }
  }
}

function badEnvPath(variable: string, file: string, problem: string): AppError {
  return new AppError(
    'missing_dependency',
    `${variable} is set to ${file}, which cannot be used (${problem}). Point ${variable} at a working binary or unset it.`,
    { variable, file, problem },
  )
}

async function findFfprobe(ffmpeg: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  if (env.FFPROBE_PATH) {
    const file = path.resolve(env.FFPROBE_PATH)
    const version = await toolVersion(file)
    if (typeof version !== 'string') throw badEnvPath('FFPROBE_PATH', file, version.problem)
    return file
  }
  const beside = path.join(path.dirname(ffmpeg), executableName('ffprobe'))
  const candidates = [beside, await findOnPath('ffprobe', env), packagedFfprobe()]
  for (const candidate of candidates) {
    if (candidate !== null && typeof (await toolVersion(candidate)) === 'string') return candidate
  }
  return null
}

/** The ffprobe of @ffprobe-installer/ffprobe, when its platform package is installed. */
export function packagedFfprobe(): string | null {
  // Throws (a string) when its platform package is missing.
  const pkg = loadOptional('@ffprobe-installer/ffprobe')
  return isRecord(pkg) && typeof pkg.path === 'string' ? unpacked(pkg.path) : null
}

async function passthroughOptions(ffmpeg: string): Promise<readonly string[]> {
  const help = await runTool(ffmpeg, ['-hide_banner', '-h', 'long'], { timeoutMs: 15_000 })
  return /^-fps_mode\b/m.test(help.stdout)
    ? ['-fps_mode', 'passthrough']
    : ['-vsync', 'passthrough']
}
