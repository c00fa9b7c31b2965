import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { rendererConfig } from './renderer.config'

export default defineConfig({
  main: {
    // Dependencies stay in node_modules (electron-builder packs and unpacks them).
    build: {
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src/main/index.ts'),
          // The job worker runs in a utilityProcess: its own entry.
          worker: resolve(import.meta.dirname, 'src/engine/jobs/worker-main.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require only electron: bundle everything else into it.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...rendererConfig,
    build: {
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') } },
    },
  },
})
