import type { JobContext } from '../../jobs/job-kind'

/**
 * Training time, as a model's record states it: the wall time of the ml.train job's runs,
 * each from the moment its worker starts the training code (preparing the clips included)
 * to the final model saved, or to its cancel or failure. A cancelled or failed job saves its
 * run's time in its job state; a resumed run adds its own, so `trainingMs` is the sum of
 * `trainingRunsMs` (one entry per run, oldest first). A worker killed outright (crash, power
 * cut) loses only the time since its last saved epoch.
 */
export interface TrainingTime {
  /** Σ trainingRunsMs, in milliseconds. */
  trainingMs: number
  /** Each run's wall time in milliseconds, oldest first. */
  trainingRunsMs: number[]
}

/** The runs' times a resumed job's state holds (none for a fresh job or an older state). */
export function earlierRunsMs(resumeState: unknown): number[] {
  if (!isRecord(resumeState)) return []
  const runs = resumeState.trainingRunsMs
  return Array.isArray(runs) && runs.every((ms) => typeof ms === 'number' && ms >= 0)
    ? (runs as number[])
    : []
}

/**
 * Times one run of a training job and writes its time into every state the job saves, so a
 * resumed run can add to it (see {@link TrainingTime}).
 */
export class TrainingClock {
  private readonly earlier: number[]
  private readonly startedAt: number
  /** The state saved last; null until this run (or an earlier one) saved one. */
  private lastState: Record<string, unknown> | null

  constructor(
    private readonly ctx: Pick<JobContext<unknown>, 'resumeState' | 'saveState'>,
    private readonly now: () => number = Date.now,
  ) {
    this.earlier = earlierRunsMs(ctx.resumeState)
    this.lastState = isRecord(ctx.resumeState) ? ctx.resumeState : null
    this.startedAt = now()
  }

  /** This run's time so far and the earlier runs', summed. */
  time(): TrainingTime {
    const runs = [...this.earlier, Math.max(0, this.now() - this.startedAt)]
    return { trainingMs: runs.reduce((a, b) => a + b, 0), trainingRunsMs: runs }
  }

  /** Saves the job's state with the time so far. */
  save(state: Record<string, unknown>): void {
    this.lastState = state
    this.ctx.saveState({ ...state, trainingRunsMs: this.time().trainingRunsMs })
  }

  /**
   * Saves the last state again with the time up to now (when the run stops early); nothing
   * when no state was saved yet, so a job refused before it started stays fresh.
   */
  saveStopped(): void {
    if (this.lastState) this.save(this.lastState)
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
