import type { Migration } from './migration'
import { initialSchema } from './1000-initial-schema'

/** Every migration, in the order it is applied. */
export const migrations: readonly Migration[] = [initialSchema]

/** The schema version this code writes. */
export const latestVersion = migrations[migrations.length - 1].version
