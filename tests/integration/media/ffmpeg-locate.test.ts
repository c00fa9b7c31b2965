import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import {
  FFMPEG_SOURCES,
  ffmpegTools,
  locateFfmpeg,
  packagedFfprobe,
} from '../../../src/engine/media/ffmpeg-locate'
import { tempDir } from '../../helpers/temp'

let dir: string
let cleanup: () => void
/** A real ffmpeg and ffprobe of this machine, whichever source provides them. */
let realFfmpeg: string
let realFfprobe: string

/** A fake tool: a shell script answering -version and -h like ffmpeg (of some version) does. */
function fakeTool(
  file: string,
  options: { version?: string; fpsMode?: boolean; name?: string },
): string {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const name = options.name ?? 'ffmpeg'
  const help = options.fpsMode
    ? '-fps_mode           set framerate mode'
    : '-vsync              video sync method'
  const version =
    options.version === undefined
      ? 'echo "this is not ffmpeg"'
      : `echo "${name} version ${options.version} Copyright"`
  fs.writeFileSync(
    file,
    `#!/bin/sh\nif [ "$1" = "-version" ]; then ${version}; exit 0; fi\necho "${help}"\n`,
    { mode: 0o755 },
  )
  return file
}

/** The binary an ffmpeg package says it installed, when the package and the file exist. */
function packageBinary(pkg: string): string | null {
  try {
    const loaded: unknown = createRequire(import.meta.url)(pkg)
    const binary = typeof loaded === 'string' ? loaded : (loaded as { path: string }).path
    return fs.existsSync(binary) ? binary : null
  } catch {
    return null
  }
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.catch((e: unknown) => e)
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

beforeAll(async () => {
  ;({ dir, cleanup } = tempDir('microau-locate-'))
  const tools = await locateFfmpeg()
  realFfmpeg = tools.ffmpeg
  realFfprobe = tools.ffprobe ?? ''
  expect(realFfprobe).not.toBe('')
})
afterAll(() => cleanup())

describe('locateFfmpeg', () => {
  it('finds a working ffmpeg on this machine and says where it came from', async () => {
    const tools = await locateFfmpeg()
    expect(FFMPEG_SOURCES).toContain(tools.source)
    expect(tools.version.length).toBeGreaterThan(0)
    expect([
      ['-fps_mode', 'passthrough'],
      ['-vsync', 'passthrough'],
    ]).toContainEqual(tools.passthrough)
    expect(await ffmpegTools()).toBe(await ffmpegTools())
  })

  it('takes FFMPEG_PATH and FFPROBE_PATH first', async () => {
    const tools = await locateFfmpeg({
      env: { FFMPEG_PATH: realFfmpeg, FFPROBE_PATH: realFfprobe, PATH: '' },
    })
    expect(tools).toMatchObject({ ffmpeg: realFfmpeg, ffprobe: realFfprobe, source: 'env' })
  })

  it('finds ffmpeg on PATH, with the ffprobe beside it', async () => {
    const bin = path.join(dir, 'bin')
    fs.mkdirSync(bin, { recursive: true })
    fs.symlinkSync(realFfmpeg, path.join(bin, 'ffmpeg'))
    fs.symlinkSync(realFfprobe, path.join(bin, 'ffprobe'))
    const tools = await locateFfmpeg({
      env: { PATH: ['/nonexistent', bin].join(path.delimiter) },
      sources: ['path'],
    })
    expect(tools).toMatchObject({
      ffmpeg: path.join(bin, 'ffmpeg'),
      ffprobe: path.join(bin, 'ffprobe'),
      source: 'path',
    })
  })

  it('uses -fps_mode where ffmpeg knows it, else -vsync', async () => {
    const modern = fakeTool(path.join(dir, 'modern', 'ffmpeg'), { version: '7.1', fpsMode: true })
    const old = fakeTool(path.join(dir, 'old', 'ffmpeg'), { version: '4.1', fpsMode: false })
    const env = { PATH: '' }
    expect(await locateFfmpeg({ env: { ...env, FFMPEG_PATH: modern } })).toMatchObject({
      version: '7.1',
      passthrough: ['-fps_mode', 'passthrough'],
      ffprobe: packagedFfprobe(),
    })
    expect((await locateFfmpeg({ env: { ...env, FFMPEG_PATH: old } })).passthrough).toEqual([
      '-vsync',
      'passthrough',
    ])
  })

  it('refuses an FFMPEG_PATH that is missing or not ffmpeg, naming it', async () => {
    const missing = await failure(
      locateFfmpeg({ env: { FFMPEG_PATH: path.join(dir, 'nope', 'ffmpeg') } }),
    )
    expect(missing.code).toBe('missing_dependency')
    expect(missing.message).toContain(
      `FFMPEG_PATH is set to ${path.join(dir, 'nope', 'ffmpeg')}, which cannot be used (there is no executable file there)`,
    )
    const impostor = fakeTool(path.join(dir, 'impostor', 'ffmpeg'), {})
    const wrong = await failure(locateFfmpeg({ env: { FFMPEG_PATH: impostor } }))
    expect(wrong.message).toMatch(/FFMPEG_PATH .*does not answer -version/)
  })

  it('refuses an FFPROBE_PATH that does not work', async () => {
    const error = await failure(
      locateFfmpeg({
        env: { FFMPEG_PATH: realFfmpeg, FFPROBE_PATH: path.join(dir, 'no-ffprobe') },
      }),
    )
    expect(error.message).toContain('FFPROBE_PATH is set to')
  })

  it('finds an ffprobe from npm (@ffprobe-installer/ffprobe) when the system has none', async () => {
    const ffprobe = packagedFfprobe()
    expect(ffprobe).toMatch(/@ffprobe-installer/)
    const modern = fakeTool(path.join(dir, 'lone', 'ffmpeg'), { version: '6.0', fpsMode: true })
    const tools = await locateFfmpeg({ env: { FFMPEG_PATH: modern, PATH: '' } })
    expect(tools.ffprobe).toBe(ffprobe)
  })

  it('prefers the ffmpeg on PATH to the npm packages', async () => {
    const bin = path.join(dir, 'system-bin')
    fakeTool(path.join(bin, 'ffmpeg'), { version: '5.1.9', fpsMode: true })
    const tools = await locateFfmpeg({ env: { PATH: bin } })
    expect(tools).toMatchObject({ source: 'path', version: '5.1.9' })
    expect(FFMPEG_SOURCES.indexOf('path')).toBeLessThan(FFMPEG_SOURCES.indexOf('ffmpeg-installer'))
  })

  it('says how to get ffmpeg when there is none', async () => {
    const error = await failure(locateFfmpeg({ env: { PATH: dir }, sources: ['env', 'path'] }))
    expect(error.code).toBe('missing_dependency')
    for (const hint of [
      'apt install ffmpeg',
      'brew install ffmpeg',
      'winget install',
      'FFMPEG_PATH',
    ]) {
      expect(error.message).toContain(hint)
    }
    expect(error.details).toEqual({
      tried: [
        { source: 'env', path: null, problem: 'FFMPEG_PATH is not set' },
        { source: 'path', path: null, problem: 'no ffmpeg on PATH' },
      ],
    })
  })

  it.each(['ffmpeg-installer', 'ffmpeg-static'] as const)(
    'uses the %s package when its binary is installed, and treats its absence as normal',
    async (source) => {
      const pkg = source === 'ffmpeg-installer' ? '@ffmpeg-installer/ffmpeg' : 'ffmpeg-static'
      const binary = packageBinary(pkg)
      const result = await locateFfmpeg({ env: { PATH: '' }, sources: [source] }).catch(
        (e: unknown) => e,
      )
      if (binary === null) {
        expect(result).toMatchObject({ code: 'missing_dependency' })
      } else {
        // Neither package ships ffprobe and PATH is empty here: @ffprobe-installer's is used.
        expect(result).toMatchObject({ ffmpeg: binary, source, ffprobe: packagedFfprobe() })
      }
    },
  )
})
