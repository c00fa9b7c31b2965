/** What the registry shows of a model's training record (ModelDetail.config, free JSON). */
export interface ModelFacts {
  folds: number | null
  epochs: number | null
  seed: number | null
  backend: string | null
  bce: string | null
  minPositives: number | null
}

function field<T>(
  record: Record<string, unknown>,
  key: string,
  type: 'number' | 'string',
): T | null {
  const value = record[key]
  return typeof value === type ? (value as T) : null
}

/** The training facts of a model's stored config; null for each one it does not hold. */
export function modelFacts(config: unknown): ModelFacts {
  const record =
    typeof config === 'object' && config !== null ? (config as Record<string, unknown>) : {}
  return {
    folds: field<number>(record, 'folds', 'number'),
    epochs: field<number>(record, 'epochs', 'number'),
    seed: field<number>(record, 'seed', 'number'),
    backend: field<string>(record, 'backend', 'string'),
    bce: field<string>(record, 'bce', 'string'),
    minPositives: field<number>(record, 'minPositives', 'number'),
  }
}
