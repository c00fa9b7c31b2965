#!/usr/bin/env node
// `npm start`: make sure the Electron runtime is there, build, launch. Electron 45 fetches
// its binary on first launch; where that fails we say so in one message and exit 1.
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const electronDir = path.dirname(require.resolve('electron/package.json'))

/** The Electron executable, or null when it is not on disk (and could not be fetched). */
function electronBinary() {
  const pathFile = path.join(electronDir, 'path.txt')
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8') : 'electron'
  const binary = override ? path.join(override, relative) : path.join(electronDir, 'dist', relative)
  if (fs.existsSync(binary)) return binary
  if (override) return null
  const fetch = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], {
    encoding: 'utf8',
    timeout: 300_000,
  })
  if (fetch.status !== 0) return null
  const fetched = path.join(electronDir, 'dist', fs.readFileSync(pathFile, 'utf8'))
  return fs.existsSync(fetched) ? fetched : null
}

const binary = electronBinary()
if (!binary) {
  console.error(
    [
      'MicroAU Studio: the Electron runtime is missing and could not be downloaded.',
      '  Fix: on a machine with internet access run `npx install-electron --no` in this folder',
      '       (or set ELECTRON_MIRROR to a reachable mirror, or ELECTRON_OVERRIDE_DIST_PATH to an',
      '       unpacked Electron 45), then `npm start` again.',
      '  Or use browser mode, which needs no Electron: `npm run serve` and open the printed URL.',
    ].join('\n'),
  )
  process.exit(1)
}

const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' })
if (build.status !== 0) process.exit(build.status ?? 1)
const child = spawn(binary, ['.', ...process.argv.slice(2)], { stdio: 'inherit' })
child.on('close', (code, signal) => process.exit(signal ? 1 : (code ?? 1)))
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
