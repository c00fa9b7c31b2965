import { tf } from '../tf'

/**
 * SGD with momentum as PyTorch and tf.train.momentum do it: v ← μ·v + g, w ← w − lr·v. Our
 * own (not tf.train.momentum) so the learning rate can change per epoch and the velocities
 * can be saved in a checkpoint and restored bit for bit.
 */
export class MomentumSgd {
  private readonly velocities = new Map<string, tf.Variable>()

  /**
   * `learningRateScale` multiplies the learning rate of the variables it names (1 for the
   * others): a pretrained backbone fine-tuned slower than its head.
   */
  constructor(
    readonly momentum: number,
    private readonly variables: ReadonlyMap<string, tf.Variable>,
    private readonly learningRateScale: ReadonlyMap<string, number> = new Map(),
  ) {}

  /**
   * Applies one update with learning rate `lr` (times the variable's scale); `grads` by
   * variable name (disposed here).
   */
  apply(grads: Record<string, tf.Tensor>, lr: number): void {
    for (const [name, variable] of this.variables) {
      const g = grads[name]
      if (!g) continue
      let v = this.velocities.get(name)
      if (!v) {
        v = tf.variable(tf.zerosLike(variable), false)
        this.velocities.set(name, v)
      }
      const velocity = v
      tf.tidy(() => {
        const next = velocity.mul(this.momentum).add(g)
        velocity.assign(next)
        variable.assign(variable.sub(next.mul(lr * (this.learningRateScale.get(name) ?? 1))))
      })
    }
    tf.dispose(Object.values(grads))
  }

  /** The velocities by variable name (for a checkpoint). */
  state(): { name: string; tensor: tf.Tensor }[] {
    return [...this.velocities].map(([name, tensor]) => ({ name, tensor }))
  }

  /** Restores velocities saved by {@link state} (the tensors are copied). */
  restore(values: Record<string, tf.Tensor>): void {
    for (const [name, value] of Object.entries(values)) {
      if (!this.variables.has(name)) throw new Error(`checkpoint velocity for unknown ${name}`)
      this.velocities.get(name)?.dispose()
      this.velocities.set(name, tf.variable(value, false))
    }
  }

  dispose(): void {
    for (const v of this.velocities.values()) v.dispose()
    this.velocities.clear()
  }
}
