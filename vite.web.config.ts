import { defineConfig } from 'vite'
import { rendererConfig } from './renderer.config'

/** The renderer built for browser mode (`microau serve` serves out/web). */
export default defineConfig({
  ...rendererConfig,
  base: './',
  build: { outDir: '../../out/web', emptyOutDir: true },
})
