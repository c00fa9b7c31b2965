import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createEngine } from '../../engine/api/engine'
import { defaultLibraryPath } from '../../engine/paths'
import { startBrowserServer } from '../../server/server'
import { integerOption, type Command } from '../command'

/**
 * The built renderer that browser mode serves (`npm run build:web` writes it): `out/web` in
 * the project, found from this file whether it runs from src/cli/commands or compiled in out/cli.
 */
export const WEB_ROOT = path.join(
  projectRoot(path.dirname(fileURLToPath(import.meta.url))),
  'out/web',
)

/** The nearest folder at or above `from` that holds a package.json. */
function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir
    if (path.dirname(dir) === dir) return from
  }
}

/** `microau serve`: the engine behind HTTP + WebSocket on 127.0.0.1 with a token. */
export const serve: Command = {
  name: 'serve',
  summary: 'Run browser mode: the app in any browser, on 127.0.0.1, behind a token',
  usage: '[--db FILE] [--port N] [--demo] [--json]',
  options: {
    db: { type: 'string' },
    port: { type: 'string' },
    demo: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(values, io) {
    const port = integerOption(values, 'port', 5317, 0, 65535)
    const libraryPath = typeof values.db === 'string' ? values.db : defaultLibraryPath()
    // The default library starts with the synthetic demo; a library named with --db with --demo.
    const engine = createEngine({
      libraryPath,
      demo: values.demo === true || typeof values.db !== 'string',
    })
    const server = await startBrowserServer({ engine, webRoot: WEB_ROOT, port }).catch(
      (error: unknown) => {
        engine.close()
        throw error
      },
    )
    if (values.json) {
      io.stdout(
        JSON.stringify({ url: server.url, port: server.port, library: engine.libraryPath }) + '\n',
      )
    } else {
      io.stdout(
        `MicroAU Studio (browser mode)\nlibrary: ${engine.libraryPath}\nopen: ${server.url}\n`,
      )
    }
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve)
      process.once('SIGTERM', resolve)
    })
    await server.close()
    engine.close()
    return 0
  },
}
