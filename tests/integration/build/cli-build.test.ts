import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { builtCliEntry } from '../../../bin/built-cli.js'
import pkg from '../../../package.json' with { type: 'json' }
import { tempDir } from '../../helpers/temp'

const root = path.resolve(import.meta.dirname, '../../..')
const { dir, cleanup } = tempDir('microau-cli-build-')
// Inside the project, so the build finds its packages in node_modules as out/cli does.
const outDir = path.join(root, 'out', `cli-test-${process.pid}`)

/** Runs the compiled CLI in `outDir` with plain Node (no loader). */
function compiled(args: string[]) {
  const run = spawnSync(process.execPath, [path.join(outDir, 'index.js'), ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  })
  return { code: run.status, stdout: run.stdout, stderr: run.stderr }
}

beforeAll(() => {
  const build = spawnSync('npx', ['vite', 'build', '--config', 'vite.cli.config.ts'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, MICROAU_CLI_OUT: outDir },
  })
  expect(build.status, build.stderr).toBe(0)
}, 180_000)
afterAll(() => {
  fs.rmSync(outDir, { recursive: true, force: true })
  cleanup()
})

describe('the compiled CLI (npm run build:cli)', () => {
  it('is plain JavaScript that answers --version and --help without tsx', () => {
    const files = fs.readdirSync(outDir).filter((f) => f.endsWith('.js'))
    expect(files).toEqual(expect.arrayContaining(['index.js', 'worker.js', 'step-worker.js']))
    for (const file of files) {
      expect(fs.readFileSync(path.join(outDir, file), 'utf8')).not.toMatch(/from ["']tsx/)
    }
    expect(compiled(['--version'])).toMatchObject({ code: 0, stdout: `${pkg.version}\n` })
    const help = compiled(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('serve')
  })

  it('runs a library job in its compiled worker', () => {
    const synth = compiled(['synth', '--out', path.join(dir, 'synth'), '--subjects', '1'])
    expect(synth.code, synth.stderr).toBe(0)
    const db = path.join(dir, 'library.sqlite')
    const frames = path.join(dir, 'synth', 'CASME2_RAW_selected')
    const sheet = fs.readdirSync(path.join(dir, 'synth')).find((f) => f.endsWith('.xlsx'))!
    const imported = compiled([
      ...['import', '--db', db, '--format', 'casme2', '--frames', frames],
      ...['--sheet', path.join(dir, 'synth', sheet), '--dataset', 'Synthetic'],
    ])
    expect(imported.code, imported.stderr).toBe(0)
    const apex = compiled(['apex', '--db', db, '--all', '--json'])
    expect(apex.code, apex.stderr).toBe(0)
    expect(JSON.parse(apex.stdout)).toBeTruthy()
  }, 120_000)

  it('records its sources, and counts as stale once one of them changes', () => {
    expect(builtCliEntry(root, outDir)).toBe(path.join(outDir, 'index.js'))
    const record = JSON.parse(fs.readFileSync(path.join(outDir, 'sources.json'), 'utf8')) as {
      sources: Record<string, number>
    }
    expect(Object.keys(record.sources)).toContain(path.join(root, 'src', 'cli', 'main.ts'))
    // A copy of the record that points at a file of this test, so no real source is touched.
    const source = path.join(dir, 'main.ts')
    fs.writeFileSync(source, 'export {}\n')
    const mtimeMs = fs.statSync(source).mtimeMs
    fs.writeFileSync(
      path.join(outDir, 'sources.json'),
      JSON.stringify({ sources: { [source]: mtimeMs } }),
    )
    expect(builtCliEntry(root, outDir)).toBe(path.join(outDir, 'index.js'))
    fs.utimesSync(source, new Date(), new Date(Date.now() + 5000))
    expect(builtCliEntry(root, outDir)).toBeUndefined()
    fs.rmSync(source)
    expect(builtCliEntry(root, outDir)).toBeUndefined()
    expect(builtCliEntry(root, path.join(dir, 'not-built'))).toBeUndefined()
  })
})
