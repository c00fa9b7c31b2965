/**
 * Which kernels a backend lacks: statically (registered for one backend, not the other) and
 * for a given computation (the kernels it dispatches that a backend has no kernel for).
 */
import { tf } from '../tf'

/** Kernel names registered for `backendName`, sorted. */
export function registeredKernels(backendName: string): string[] {
  return tf
    .getKernelsForBackend(backendName)
    .map((config) => config.kernelName)
    .sort()
}

/** Kernels registered for `reference` but not for `target`, sorted. */
export function kernelsMissingVersus(target: string, reference: string): string[] {
  const present = new Set(registeredKernels(target))
  return registeredKernels(reference).filter((name) => !present.has(name))
}

/**
 * The kernels `run` dispatches on the active backend (the one that has them all, e.g.
 * cpu), sorted; tensors `run` returns are disposed.
 */
export async function kernelsDispatchedBy(run: () => tf.TensorContainer): Promise<string[]> {
  const info = await tf.profile(() => run())
  tf.dispose(info.result)
  return [...new Set(info.kernelNames)].sort()
}

/** Of `kernels`, those `backendName` has no registered kernel for. */
export function unregisteredOn(kernels: readonly string[], backendName: string): string[] {
  return kernels.filter((name) => tf.getKernel(name, backendName) === undefined)
}
