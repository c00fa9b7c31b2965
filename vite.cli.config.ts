import fs from 'node:fs'
import path from 'node:path'
import { defineConfig, type Plugin } from 'vite'

/*
 * The CLI (and the job worker it forks) compiled to plain JavaScript in out/cli, so
 * `microau` starts without compiling TypeScript. Packages stay in node_modules (an SSR
 * build keeps them external); every file lands flat in out/cli, so the job worker is always
 * `worker.js` (and a training step's thread `step-worker.js`) beside the code that starts
 * it. `npm run build:cli` runs it; `prepare` runs that at install.
 */

const outDir = path.resolve(import.meta.dirname, process.env.MICROAU_CLI_OUT ?? 'out/cli')

/**
 * Writes `sources.json`: every source file the build read, with its modification time, so
 * bin/microau.js can tell whether the build still matches the sources (else it runs them
 * through tsx).
 */
function recordSources(): Plugin {
  return {
    name: 'microau-record-sources',
    writeBundle(_options, bundle) {
      const files = new Set<string>()
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue
        for (const id of output.moduleIds) {
          if (path.isAbsolute(id) && !id.includes(`${path.sep}node_modules${path.sep}`)) {
            files.add(id.split('?')[0])
          }
        }
      }
      const sources = Object.fromEntries(
        [...files].sort().map((file) => [file, fs.statSync(file).mtimeMs]),
      )
      fs.writeFileSync(path.join(outDir, 'sources.json'), JSON.stringify({ sources }, null, 1))
    },
  }
}

export default defineConfig({
  plugins: [recordSources()],
  build: {
    ssr: true,
    outDir,
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    rollupOptions: {
      input: {
        index: path.resolve(import.meta.dirname, 'src/cli/index.ts'),
        worker: path.resolve(import.meta.dirname, 'src/engine/jobs/worker-main.ts'),
        'step-worker': path.resolve(
          import.meta.dirname,
          'src/engine/ml/train/step-workers/worker-main.ts',
        ),
      },
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    },
  },
})
