import { z } from 'zod'
import { AppError } from '../../shared/errors'
import type { MagnifySettings, MagnifySettingsInput } from '../../shared/signal'
import { DEFAULT_MAGNIFY_PARAMS, type IirFilter, type MagnifyParams } from '../signal'

/** Magnification settings with every value given, as job inputs carry them. */
export const magnifySettingsSchema = z
  .object({
    alpha: z.number().min(0).max(1000),
    lambdaC: z.number().min(0).max(100_000),
    r1: z.number().gt(0).max(1),
    r2: z.number().gt(0).max(1),
    chromAttenuation: z.number().min(0).max(10),
  })
  .strict()

/**
 * Checks the IIR weights: r1 is the fast low-pass and r2 the slow one, so r1 > r2 (otherwise
 * the band-pass has its sign flipped or passes nothing).
 */
export function checkIirWeights(r1: number, r2: number): void {
  if (!(r1 > r2)) {
    throw new AppError('invalid_input', `r2 (${r2}) must be smaller than r1 (${r1})`, {
      field: 'r2',
      r1,
      r2,
    })
  }
}

/** Fills left-out settings from DEFAULT_MAGNIFY_PARAMS and checks r1 > r2. */
export function resolveMagnifySettings(input: MagnifySettingsInput = {}): MagnifySettings {
  const settings: MagnifySettings = {
    alpha: input.alpha ?? DEFAULT_MAGNIFY_PARAMS.alpha,
    lambdaC: input.lambdaC ?? DEFAULT_MAGNIFY_PARAMS.lambdaC,
    r1: input.r1 ?? DEFAULT_MAGNIFY_PARAMS.filter.r1,
    r2: input.r2 ?? DEFAULT_MAGNIFY_PARAMS.filter.r2,
    chromAttenuation: input.chromAttenuation ?? DEFAULT_MAGNIFY_PARAMS.chromAttenuation,
  }
  checkIirWeights(settings.r1, settings.r2)
  return settings
}

/**
 * The signal engine's parameters for settings. The filter object is built with the same
 * fields as DEFAULT_IIR_FILTER, so equal settings give the params key the training
 * pipeline uses (one magnified-frame cache for both).
 */
export function magnifyParamsOf(settings: MagnifySettings): MagnifyParams<IirFilter> {
  return {
    alpha: settings.alpha,
    lambdaC: settings.lambdaC,
    chromAttenuation: settings.chromAttenuation,
    filter: { kind: 'iir', r1: settings.r1, r2: settings.r2 },
  }
}
