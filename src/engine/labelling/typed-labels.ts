import { AppError } from '../../shared/errors'
import { formatAuLabel, parseAuCell } from '../../shared/facs'
import type { TypedLabelsSaved } from '../../shared/coding'
import type { LibraryDb } from '../db/open-library'
import { auditedWrite } from '../db/queries/audit'
import { setLabel } from './code-writes'

/**
 * Scores AUs a coder typed in sheet notation ('1+2+R12B') on a clip, whole or not at all:
 * a token the tokenizer cannot read refuses the whole entry (an `invalid_input` AppError
 * naming every bad token, nothing written); otherwise every label is saved in one
 * transaction, so a label the engine refuses (an AU scored on that side already…) rolls the
 * others back too. Each label is its own audit entry, so undo takes them back one at a time.
 */
export function setTypedLabels(
  db: LibraryDb,
  clipId: number,
  coderId: number,
  text: string,
): TypedLabelsSaved {
  const parsed = parseAuCell(text)
  if (parsed.errors.length > 0) {
    const reasons = parsed.errors.map((e) => e.reason).join('; ')
    throw new AppError('invalid_input', `Nothing was saved: ${reasons}.`, {
      field: 'text',
      tokens: parsed.errors.map((e) => e.token),
    })
  }
  if (parsed.labels.length === 0) {
    throw new AppError('invalid_input', 'Nothing was saved: type AU codes such as 1+2+R12B.', {
      field: 'text',
    })
  }
  auditedWrite(db, 'manual', () => {
    for (const { au, side, intensity } of parsed.labels) {
      setLabel(db, clipId, coderId, { au, side, intensity })
    }
  })
  return {
    saved: parsed.labels.map(formatAuLabel),
    notes: parsed.labels.flatMap((label) => [
      ...(label.uncertain
        ? [`'${label.token}': saved as ${formatAuLabel(label)}; the question mark is not stored`]
        : []),
      ...(label.alternative ? [`'${label.token}': alternatives are saved as separate AUs`] : []),
    ]),
  }
}
