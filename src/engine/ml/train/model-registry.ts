import type { LibraryDb } from '../../db/open-library'

/** A model as the library lists it. */
export interface ModelRow {
  name: string
  preset: string
  variant: string
  /** The model folder (absolute). */
  path: string
  config: unknown
  metrics: unknown
}

/**
 * Adds a model folder to the library's models table, or updates the row that already
 * points at the same folder; returns its id.
 */
export function registerModel(db: LibraryDb, model: ModelRow): number {
  const existing = db.prepare('SELECT id FROM models WHERE path = ?').pluck().get(model.path) as
    number | undefined
  const config = JSON.stringify(model.config)
  const metrics = model.metrics === null ? null : JSON.stringify(model.metrics)
  if (existing !== undefined) {
    db.prepare(
      'UPDATE models SET name = ?, preset = ?, variant = ?, config = ?, metrics = ? WHERE id = ?',
    ).run(model.name, model.preset, model.variant, config, metrics, existing)
    return existing
  }
  return Number(
    db
      .prepare(
        'INSERT INTO models (name, preset, variant, path, config, metrics) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(model.name, model.preset, model.variant, model.path, config, metrics).lastInsertRowid,
  )
}
