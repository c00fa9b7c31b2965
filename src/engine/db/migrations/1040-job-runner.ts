import type { Migration } from './migration'

/**
 * Which job runner owns a queued or running job (`<pid>:<random id>`), so a runner that
 * starts while another process (the app, a CLI command) works on the same library marks
 * only the jobs of runners that are gone as interrupted. NULL for older rows: no owner.
 */
export const jobRunner: Migration = {
  version: 1040,
  name: 'job runner',
  up(db) {
    db.exec(`ALTER TABLE jobs ADD COLUMN runner TEXT`)
  },
}
