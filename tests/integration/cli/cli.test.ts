import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import pkg from '../../../package.json' with { type: 'json' }
import { latestVersion } from '../../../src/engine/db/migrations'
import { runMicroau, startServe } from '../../helpers/cli'
import { tempDir } from '../../helpers/temp'

const { dir, cleanup } = tempDir()
afterAll(() => cleanup())

describe('microau', () => {
  it('prints its version and help, exit 0', () => {
    expect(runMicroau(['--version'])).toMatchObject({ code: 0, stdout: `${pkg.version}\n` })
    const help = runMicroau(['--help'])
    expect(help.code).toBe(0)
    for (const command of ['serve', 'db migrate', 'db info']) expect(help.stdout).toContain(command)
  })

  it('doctor says which ffmpeg and tensor backend run, and how to get the missing ones', () => {
    const result = runMicroau(['doctor', '--json'])
    expect(result.code, result.stderr).toBe(0)
    const report = JSON.parse(result.stdout) as {
      ffmpeg: { ok: boolean; source: string }
      backend: { name: string; attempts: { name: string; ok: boolean; reason: string }[] }
    }
    expect(report.ffmpeg.ok).toBe(true)
    expect(report.backend.attempts.map((a) => a.name)).toEqual([
      'tensorflow-gpu',
      'tensorflow',
      'wasm',
      'cpu',
    ])
    const chosen = report.backend.attempts.find((a) => a.ok)
    expect(chosen?.name).toBe(report.backend.name)
    for (const missed of report.backend.attempts.slice(
      0,
      report.backend.attempts.indexOf(chosen!),
    )) {
      expect(missed.reason).toMatch(/npm install|CUDA|failed|not/)
    }
  })

  it('creates, migrates and describes a library as JSON', () => {
    const db = path.join(dir, 'cli.sqlite')
    const migrate = runMicroau(['db', 'migrate', '--db', db, '--json'])
    expect(migrate.code).toBe(0)
    expect(JSON.parse(migrate.stdout)).toEqual({ db, from: 0, to: latestVersion })
    const info = runMicroau(['db', 'info', '--db', db, '--json'])
    expect(info.code).toBe(0)
    expect(JSON.parse(info.stdout)).toMatchObject({ schemaVersion: latestVersion, datasets: [] })
  })

  it('exits 2 with the usage on a missing or unknown option, and 1 on a missing library', () => {
    const missing = runMicroau(['db', 'info'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('--db is required')
    expect(runMicroau(['db', 'info', '--db', 'x', '--bogus']).code).toBe(2)
    expect(runMicroau(['frobnicate']).code).toBe(2)
    const absent = runMicroau(['db', 'info', '--db', path.join(dir, 'absent.sqlite')])
    expect(absent.code).toBe(1)
    expect(absent.stderr).toContain('absent.sqlite')
    expect(absent.stderr).not.toContain('    at ')
    expect(fs.existsSync(path.join(dir, 'absent.sqlite'))).toBe(false)
  })

  it('serve --port 0 prints a tokened URL; without the token requests get 401', async () => {
    const server = await startServe(path.join(dir, 'serve.sqlite'))
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/)
      expect((await fetch(`http://127.0.0.1:${server.port}/`)).status).toBe(401)
      const withToken = await fetch(server.url, { redirect: 'manual' })
      expect(withToken.status).toBe(303)
      const cookie = withToken.headers.get('set-cookie')!.split(';')[0]
      expect(
        (await fetch(`http://127.0.0.1:${server.port}/`, { headers: { cookie } })).status,
      ).toBe(200)
    } finally {
      await server.stop()
    }
  })
})

describe('npm start without the Electron binary', () => {
  it('prints one clear message with the fix and the browser-mode alternative, exit 1, no stack', async () => {
    const { spawnSync } = await import('node:child_process')
    const result = spawnSync(
      process.execPath,
      [path.resolve(import.meta.dirname, '../../../scripts/start.js')],
      {
        encoding: 'utf8',
        env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: path.join(dir, 'no-electron-here') },
      },
    )
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('the Electron runtime is missing')
    expect(result.stderr).toContain('npx install-electron')
    expect(result.stderr).toContain('npm run serve')
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })
})
