import type { ParseArgsConfig } from 'node:util'

/** Parsed option values of one command. */
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>

/** Where a command writes: results to stdout, progress and errors to stderr. */
export interface CliIo {
  stdout(text: string): void
  stderr(text: string): void
}

/**
 * One `microau` command. Every command follows the same pattern: `--db FILE` names the
 * library, `--json` prints machine-readable output on stdout, progress goes to stderr,
 * and the exit code is 0 only on success.
 */
export interface Command {
  /** Words after `microau`, e.g. `db info`. */
  name: string
  summary: string
  /** Usage line shown by --help, without the leading `microau <name>`. */
  usage: string
  options: NonNullable<ParseArgsConfig['options']>
  run(values: OptionValues, io: CliIo): Promise<number>
}

/** Reads a required string option, or throws a usage error naming it. */
export function requireString(values: OptionValues, name: string): string {
  const value = values[name]
  if (typeof value !== 'string' || value.length === 0) throw new UsageError(`--${name} is required`)
  return value
}

/** Reads an integer option within [min, max], or throws a usage error naming it. */
export function integerOption(
  values: OptionValues,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = values[name]
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (typeof raw !== 'string' || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max} (got ${String(raw)})`)
  }
  return value
}

/** A mistake in the command line itself: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}
