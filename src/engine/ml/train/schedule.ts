/** The step schedule of the paper: lr·decay^⌊epoch / stepEpochs⌋ (0.01, ÷10 every 40 epochs). */
export interface StepSchedule {
  learningRate: number
  learningRateStepEpochs: number
  learningRateDecay: number
}

/** Learning rate of epoch `epoch` (0-based). */
export function learningRateAt(schedule: StepSchedule, epoch: number): number {
  const steps = Math.floor(epoch / Math.max(1, schedule.learningRateStepEpochs))
  return schedule.learningRate * schedule.learningRateDecay ** steps
}
