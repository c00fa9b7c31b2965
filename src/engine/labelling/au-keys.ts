import { AppError } from '../../shared/errors'
import {
  STARTER_AUS,
  isKnownAu,
  addAusToKeyMap,
  bindAuKey,
  type AuKeyEntry,
  type AuKeyMap,
} from '../../shared/facs'
import type { LibraryDb } from '../db/open-library'
import { readAuKeys, writeAuKeys } from '../db/queries/au-keys'
import { datasetAus } from '../db/queries/clip-frames'
import { getDataset } from '../db/queries/datasets'

/*
 * A dataset's AU number keys, stored (migration 1060). The first time a dataset's map is
 * asked for it is made from the dataset's AUs (or STARTER_AUS when nobody scored one yet),
 * the first ten ascending getting keys 1 … 9, 0, as the panel numbered them before maps were
 * stored. From then on an AU scored for the first time in the dataset takes the next free key
 * or none, and keys move only when someone rebinds them.
 */

/** Runs `change` on the dataset's map in one IMMEDIATE transaction, storing what it answers. */
function updateMap(
  db: LibraryDb,
  datasetId: number,
  change: (entries: AuKeyEntry[]) => AuKeyEntry[],
): AuKeyMap {
  return db
    .transaction(() => {
      getDataset(db, datasetId)
      const stored = readAuKeys(db, datasetId)
      const aus = datasetAus(db, datasetId)
      const known = addAusToKeyMap(
        stored,
        stored.length === 0 && aus.length === 0 ? STARTER_AUS : aus,
      )
      const entries = change(known)
      if (!sameEntries(stored, entries)) writeAuKeys(db, datasetId, entries)
      return { datasetId, entries }
    })
    .immediate()
}

/** The dataset's AU key map, with the AUs scored since it was last read added. */
export function datasetAuKeys(db: LibraryDb, datasetId: number): AuKeyMap {
  return updateMap(db, datasetId, (entries) => entries)
}

/** Binds a number key to an AU of the dataset (or takes the AU's key away: `key` null). */
export function setDatasetAuKey(
  db: LibraryDb,
  datasetId: number,
  au: number,
  key: number | null,
): AuKeyMap {
  if (!isKnownAu(au)) {
    throw new AppError(
      'invalid_input',
      `AU${au} is not in the FACS catalogue, so it cannot have a key.`,
      {
        field: 'au',
        au,
      },
    )
  }
  return updateMap(db, datasetId, (entries) => bindAuKey(entries, au, key))
}

function sameEntries(a: readonly AuKeyEntry[], b: readonly AuKeyEntry[]): boolean {
  return a.length === b.length && a.every((e, i) => e.au === b[i].au && e.key === b[i].key)
}
