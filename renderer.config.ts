import { resolve } from 'node:path'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import type { UserConfig } from 'vite'

/** Renderer settings shared by the Electron build and the browser-mode build. */
export const rendererConfig = {
  root: resolve(import.meta.dirname, 'src/renderer'),
  plugins: [svelte()],
} satisfies UserConfig
