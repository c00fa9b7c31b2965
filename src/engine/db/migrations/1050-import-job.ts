import type { Migration } from './migration'

/**
 * The job that wrote an import (NULL for imports outside a job that records it), so a job
 * resumed without its saved state (the worker died between the import's commit and the
 * state reaching the host) finds what it already imported instead of importing again.
 */
export const importJob: Migration = {
  version: 1050,
  name: 'import job',
  up(db) {
    db.exec(`ALTER TABLE imports ADD COLUMN job_id INTEGER`)
  },
}
