import { isKnownAu } from './au-catalogue'

/**
 * The AU tokenizer shared by every dataset sheet (CASME II, SAMM, CAS(ME)², CAS(ME)³, MMEW,
 * 4DME, our own exports). It never guesses: what it cannot read comes back as an error the
 * caller flags.
 */

/** Side prefix of a unilateral or asymmetric action: left, right, top, bottom. */
export type AuSide = 'L' | 'R' | 'T' | 'B'

/** FACS intensity letter, trace (A) to maximum (E). */
export type AuIntensity = 'A' | 'B' | 'C' | 'D' | 'E'

/** One AU read from a sheet cell. */
export interface AuLabel {
  au: number
  side: AuSide | null
  intensity: AuIntensity | null
  /** The text as written in the cell, after trimming (e.g. 'R14A', 'AU4(k)'). */
  token: string
  /** Set when the coder wrote it as one of two alternatives ('R12 or R14'). */
  alternative?: true
  /** Set when the coder marked it with a question mark ('13?'). */
  uncertain?: true
}

/** Why one token of a cell could not become a label. */
export type AuTokenErrorCode = 'not_au_code' | 'out_of_range' | 'unknown_au' | 'duplicate'

/** A token of a cell that did not become a label. */
export interface AuTokenError {
  token: string
  code: AuTokenErrorCode
  /** Words for the user, e.g. "'X3' is not an AU code". */
  reason: string
}

/** What a cell held: the labels it could read and the tokens it could not. */
export interface AuParseResult {
  labels: AuLabel[]
  errors: AuTokenError[]
}

// Separators: '+', ',', the full-width comma and the word "or" (kept, to mark alternatives).
const SEPARATOR = /([+,\uFF0C]|\bor\b)/i
const TOKEN = /^(?:AU\s*)?([LRTB])?(\d+)([A-E])?(\(k\))?(\?)?$/i
// Numbers that went through a spreadsheet or a CSV round trip: '12.0'.
const WHOLE_DECIMAL = /^(\d+)\.0+$/

/**
 * Reads one AU cell: `4+7`, `R12 + R15`, `R14A`, `1+2+4`, `12` or `12.0` (a number cell),
 * `T18`, `B28`, `AU4(k)`, `13?`, `14,L24,` (empty tokens are ignored), `R12 or R14`.
 *
 * "or" binds tighter than '+' and ',': in `4 + 12 or 14` only 12 and 14 are alternatives.
 * The same AU on the same side twice keeps the first and reports the second as a
 * duplicate. Side and intensity letters are read case-insensitively and stored upper case.
 */
export function parseAuCell(cell: string | number | null | undefined): AuParseResult {
  const result: AuParseResult = { labels: [], errors: [] }
  if (cell === null || cell === undefined) return result
  if (typeof cell === 'number') {
    if (Number.isInteger(cell)) addToken(result, String(cell), false)
    else
      result.errors.push({
        token: String(cell),
        code: 'not_au_code',
        reason: `${cell} is not a whole AU number`,
      })
    return result
  }
  const parts = cell.normalize('NFKC').split(SEPARATOR)
  for (let i = 0; i < parts.length; i += 2) {
    const token = parts[i].trim()
    if (token === '') continue
    const alternative = isOr(parts[i - 1]) || isOr(parts[i + 1])
    addToken(result, token, alternative)
  }
  return result
}

function isOr(separator: string | undefined): boolean {
  return separator !== undefined && separator.toLowerCase() === 'or'
}

function addToken(result: AuParseResult, token: string, alternative: boolean): void {
  const whole = WHOLE_DECIMAL.exec(token)
  const match = TOKEN.exec(whole ? whole[1] : token)
  if (!match) {
    result.errors.push({ token, code: 'not_au_code', reason: `'${token}' is not an AU code` })
    return
  }
  const [, sideText, digits, intensityText, , question] = match
  const au = Number(digits)
  if (au < 1 || au > 99) {
    result.errors.push({
      token,
      code: 'out_of_range',
      reason: `'${token}': AU numbers run from 1 to 99`,
    })
    return
  }
  if (!isKnownAu(au)) {
    result.errors.push({ token, code: 'unknown_au', reason: `'${token}': FACS has no AU ${au}` })
    return
  }
  const side = sideText ? (sideText.toUpperCase() as AuSide) : null
  if (result.labels.some((l) => l.au === au && l.side === side)) {
    result.errors.push({
      token,
      code: 'duplicate',
      reason: `'${token}': AU ${au}${side ? ` (side ${side})` : ''} is already in the cell`,
    })
    return
  }
  const label: AuLabel = {
    au,
    side,
    intensity: intensityText ? (intensityText.toUpperCase() as AuIntensity) : null,
    token,
  }
  if (alternative) label.alternative = true
  if (question) label.uncertain = true
  result.labels.push(label)
}

/** Writes one label back in sheet notation: side, number, intensity ('R14A'). */
export function formatAuLabel(label: Pick<AuLabel, 'au' | 'side' | 'intensity'>): string {
  return `${label.side ?? ''}${label.au}${label.intensity ?? ''}`
}

/**
 * Writes labels as one cell, CASME II style ('1+2+R12'), sorted by AU then side so the
 * same set always gives the same text; `parseAuCell` reads it back to the same labels.
 */
export function formatAuCell(
  labels: readonly Pick<AuLabel, 'au' | 'side' | 'intensity'>[],
): string {
  return [...labels]
    .sort((a, b) => a.au - b.au || (a.side ?? '').localeCompare(b.side ?? ''))
    .map(formatAuLabel)
    .join('+')
}
