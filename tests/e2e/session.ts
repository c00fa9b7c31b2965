import Database from 'better-sqlite3'
import type { Browser, Page } from 'playwright-core'
import { startServe, type ServeProcess } from '../helpers/cli'
import { launchChromium, openPage } from './browser'

/** Runs one query on a library file through a separate read-only connection. */
export function queryLibrary<T>(library: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(library, { readonly: true })
  try {
    return db.prepare(sql).all(...params) as T[]
  } finally {
    db.close()
  }
}

/** A library served by `microau serve` and the headless Chromium an e2e test drives it with. */
export interface Session {
  /** The library file the server serves. */
  library: string
  server: ServeProcess
  browser: Browser
  /** Runs one query on the library through a separate read-only connection. */
  query<T>(sql: string, ...params: unknown[]): T[]
  /** A new page on the served app, failing the test on console errors (see `openPage`). */
  openPage(): Promise<{ page: Page; problems: string[] }>
  /** Closes the browser, then stops the server. */
  close(): Promise<void>
}

/**
 * Starts `microau serve` on `library` (created when missing) and launches Chromium; a browser
 * that fails to launch stops the server before the error goes on.
 */
export async function openSession(library: string): Promise<Session> {
  const server = await startServe(library)
  let browser: Browser
  try {
    browser = await launchChromium()
  } catch (error) {
    await server.stop()
    throw error
  }
  return {
    library,
    server,
    browser,
    query: <T>(sql: string, ...params: unknown[]) => queryLibrary<T>(library, sql, ...params),
    openPage: () => openPage(browser, server.url),
    close: async () => {
      await browser.close()
      await server.stop()
    },
  }
}
