import type { Migration } from './migration'
import { initialSchema } from './1000-initial-schema'
import { magnifiedKeyFrames } from './1020-magnified-key-frames'
import { apexCurves } from './1030-apex-curves'
import { jobRunner } from './1040-job-runner'
import { importJob } from './1050-import-job'
import { auKeys } from './1060-au-keys'
import { historySteps } from './1070-history-steps'
import { spotting } from './1080-spotting'

/** Every migration, in the order it is applied. */
export const migrations: readonly Migration[] = [
  initialSchema,
  magnifiedKeyFrames,
  apexCurves,
  jobRunner,
  importJob,
  auKeys,
  historySteps,
  spotting,
]

/** The schema version this code writes. */
export const latestVersion = migrations[migrations.length - 1].version
