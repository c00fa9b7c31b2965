import { parseAuCell, type AuLabel } from '../../../shared/facs'
import type { ImportFlag } from '../flags'
import { cellError, findHeader, type ColumnSpec, type HeaderMap } from './header'
import { cellText, isBlankRow, type SheetCell, type SheetData, type SheetRow } from './sheet'

/** The kinds of coder the library knows (coders.kind). */
export type CoderKind = 'human' | 'import' | 'adjudicated'

const CODER_KINDS: readonly CoderKind[] = ['human', 'import', 'adjudicated']

/** The columns a coding sheet can carry, whatever the dataset calls them. */
export type CodedColumn =
  | 'subject'
  | 'filename'
  | 'onset'
  | 'apex'
  | 'offset'
  | 'aus'
  | 'emotion'
  | 'note'
  | 'coder'
  | 'coderKind'
  | 'apexEstimated'

/** One coded micro-expression of a sheet, normalised. */
export interface CodedRow {
  /** 1-based sheet row. */
  row: number
  /** Subject code as the library stores it (the subject's folder name, e.g. 'sub01'). */
  subject: string
  /** The sheet's Filename cell. */
  filename: string
  /** Clip name in the library (the Filename, or Filename_onset for long videos). */
  clip: string
  onset: number
  /** Null when the sheet has '/' (flagged). */
  apex: number | null
  offset: number
  labels: AuLabel[]
  emotion: string | null
  /** From a Coder column (our exports); null means the sheet's own import coder. */
  coder: string | null
  coderKind: CoderKind | null
  apexEstimated: boolean
}

/** A parsed coding sheet: its rows and the soft problems found in them. */
export interface ParsedSheet {
  file: string
  headerRow: number
  rows: CodedRow[]
  flags: ImportFlag[]
}

/** What distinguishes one dataset's sheet from another's. */
export interface SheetFormatSpec {
  /** Dataset name for messages ('CASME II'). */
  name: string
  columns: readonly ColumnSpec<CodedColumn>[]
  /** Subject code from the Subject cell ('' when the cell cannot name a subject). */
  subjectCode(cell: SheetCell): string
  /** Clip name from the Filename cell and the onset. */
  clipName(filename: string, onset: number): string
}

/** Frame numbers beyond this (14 hours at 200 fps) are typing errors, not frames. */
const MAX_FRAME_NUMBER = 10_000_000

/**
 * Parses the data rows of a coding sheet against a format: header found by name (so blank
 * columns and preambles do not matter), blank rows skipped. Malformed cells throw an
 * `invalid_file` error naming the file, the row and the column; soft problems become flags.
 */
export function parseCodedSheet(sheet: SheetData, spec: SheetFormatSpec): ParsedSheet {
  const header = findHeader(sheet, spec.columns, ['subject', 'filename'])
  const result: ParsedSheet = { file: sheet.file, headerRow: header.headerRow, rows: [], flags: [] }
  const seen = new Map<string, CodedRow>()
  for (const row of sheet.rows) {
    if (row.row <= header.headerRow || isBlankRow(row)) continue
    const flags: ImportFlag[] = []
    const coded = parseRow(sheet.file, row, header, spec, flags)
    const key = `${coded.subject}\u0000${coded.clip}\u0000${coded.coder ?? ''}`
    const first = seen.get(key)
    if (first) {
      const same = sameCodes(first, coded)
      result.flags.push({
        file: sheet.file,
        row: row.row,
        clip: `${coded.subject}/${coded.clip}`,
        code: 'duplicate_row',
        message: `Row ${row.row} codes ${coded.subject}/${coded.clip} again (first coded in row ${first.row}${
          same ? ', identically' : ', with different codes'
        }); row ${row.row} is skipped`,
      })
      continue
    }
    seen.set(key, coded)
    result.rows.push(coded)
    result.flags.push(...flags)
  }
  return result
}

function parseRow(
  file: string,
  row: SheetRow,
  header: HeaderMap<CodedColumn>,
  spec: SheetFormatSpec,
  flags: ImportFlag[],
): CodedRow {
  const at = (key: CodedColumn): SheetCell | undefined => {
    const i = header.index[key]
    return i === undefined ? undefined : (row.cells[i] ?? null)
  }
  const fail = (key: CodedColumn, message: string): never => {
    throw cellError(
      file,
      row.row,
      header.index[key] ?? 0,
      header.header[key] ?? key,
      message,
      at(key),
    )
  }
  const subject = spec.subjectCode(at('subject') ?? null)
  if (subject === '') fail('subject', `'${cellText(at('subject'))}' does not name a subject`)
  const filename = cellText(at('filename'))
  if (filename === '') fail('filename', 'the Filename is empty')
  const frame = (key: 'onset' | 'apex' | 'offset'): number | null => {
    const cell = at(key) ?? null
    const text = cellText(cell)
    if (key === 'apex' && (text === '' || text === '/' || text === '-')) return null
    if (text === '') return fail(key, 'the frame number is empty')
    const value = typeof cell === 'number' ? cell : /^-?\d+(\.0+)?$/.test(text) ? Number(text) : NaN
    if (Number.isNaN(value)) return fail(key, `'${text}' is not a frame number`)
    if (!Number.isInteger(value)) return fail(key, `${value} is not a whole frame number`)
    if (value < 0) return fail(key, `${value}: frame numbers cannot be negative`)
    if (value > MAX_FRAME_NUMBER) return fail(key, `${value} is not a plausible frame number`)
    return value
  }
  const onset = frame('onset') as number
  const apex = frame('apex')
  const offset = frame('offset') as number
  if (onset > offset) fail('offset', `the offset (${offset}) comes before the onset (${onset})`)
  const clip = spec.clipName(filename, onset)
  const flag = (code: ImportFlag['code'], key: CodedColumn | null, message: string) =>
    flags.push({
      file,
      row: row.row,
      ...(key ? { column: header.header[key] ?? key } : {}),
      clip: `${subject}/${clip}`,
      code,
      message,
    })
  if (apex === null) {
    flag(
      'missing_apex',
      'apex',
      `No apex for ${subject}/${clip} ('${cellText(at('apex'))}'); stored as unknown`,
    )
  } else if (apex < onset || apex > offset) {
    flag(
      'apex_outside_clip',
      'apex',
      `Apex ${apex} lies outside onset–offset ${onset}–${offset}; stored as written`,
    )
  }
  const labels = readLabels(at('aus') ?? null, (code, message) => flag(code, 'aus', message))
  const note = cellText(at('note'))
  if (note !== '') flag('sheet_note', 'note', note)
  const emotion = cellText(at('emotion'))
  const coder = cellText(at('coder'))
  const kind = cellText(at('coderKind')).toLowerCase()
  if (kind !== '' && !CODER_KINDS.includes(kind as CoderKind)) {
    fail('coderKind', `'${kind}' is not a coder kind (${CODER_KINDS.join(', ')})`)
  }
  const estimated = cellText(at('apexEstimated')).toLowerCase()
  if (!['', '0', '1', 'true', 'false'].includes(estimated)) {
    fail('apexEstimated', `'${estimated}' is not 0 or 1`)
  }
  return {
    row: row.row,
    subject,
    filename,
    clip,
    onset,
    apex,
    offset,
    labels,
    emotion: emotion === '' ? null : emotion,
    coder: coder === '' ? null : coder,
    coderKind: kind === '' ? null : (kind as CoderKind),
    apexEstimated: estimated === '1' || estimated === 'true',
  }
}

/**
 * Reads one AU cell through the FACS tokenizer, flagging what every importer flags: tokens it
 * cannot read or FACS lacks, duplicates, alternatives, uncertain codes and an empty cell.
 */
export function readLabels(
  cell: SheetCell,
  flag: (code: ImportFlag['code'], message: string) => void,
): AuLabel[] {
  const parsed = parseAuCell(cell)
  for (const error of parsed.errors) {
    flag(
      error.code === 'duplicate' ? 'duplicate_au' : 'unknown_au_token',
      `${error.reason}; not stored`,
    )
  }
  const alternatives = parsed.labels.filter((l) => l.alternative).map((l) => l.token)
  if (alternatives.length > 0) {
    flag(
      'au_alternative',
      `'${cellText(cell)}' gives alternatives (${alternatives.join(', ')}); all are stored`,
    )
  }
  for (const label of parsed.labels.filter((l) => l.uncertain)) {
    flag('au_uncertain', `'${label.token}' is marked uncertain; stored`)
  }
  if (parsed.labels.length === 0 && parsed.errors.length === 0)
    flag('no_au_codes', 'The AU cell is empty')
  return parsed.labels
}

function sameCodes(a: CodedRow, b: CodedRow): boolean {
  const labels = (r: CodedRow) =>
    r.labels
      .map((l) => `${l.side ?? ''}${l.au}${l.intensity ?? ''}`)
      .sort()
      .join('+')
  return (
    a.onset === b.onset &&
    a.apex === b.apex &&
    a.offset === b.offset &&
    a.emotion === b.emotion &&
    labels(a) === labels(b)
  )
}

/** Subject code for sheets that number subjects: 1 → 'sub01' (CASME II) or '006' (SAMM). */
export function numberedSubject(cell: SheetCell, prefix: string, digits: number): string {
  const text = cellText(cell)
  const number = /^\d+(\.0+)?$/.exec(text)
  return number ? prefix + String(Math.trunc(Number(text))).padStart(digits, '0') : text
}
