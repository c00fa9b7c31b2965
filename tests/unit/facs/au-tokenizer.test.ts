import { describe, expect, it } from 'vitest'
import { formatAuCell, formatAuLabel, parseAuCell, type AuLabel } from '../../../src/shared/facs'

/** The labels of a cell as compact text: side, AU, intensity, '|' alternative, '?' uncertain. */
function codes(cell: string | number | null | undefined): string[] {
  return parseAuCell(cell).labels.map(
    (l) =>
      `${l.side ?? ''}${l.au}${l.intensity ?? ''}${l.alternative ? '|' : ''}${l.uncertain ? '?' : ''}`,
  )
}

function errors(cell: string | number | null | undefined): string[] {
  return parseAuCell(cell).errors.map((e) => `${e.token}:${e.code}`)
}

describe('parseAuCell: CASME II cells', () => {
  it('splits on + and reads plain numbers', () => {
    expect(codes('4+7')).toEqual(['4', '7'])
    expect(codes('1+2+4')).toEqual(['1', '2', '4'])
  })

  it('keeps the side prefix of R12 and L10', () => {
    const [r12] = parseAuCell('R12').labels
    expect(r12).toEqual({ au: 12, side: 'R', intensity: null, token: 'R12' })
    expect(codes('L10+R12')).toEqual(['L10', 'R12'])
  })

  it('reads single AUs stored as numbers (12 and 12.0) and as decimal text', () => {
    expect(codes(12)).toEqual(['12'])
    expect(codes(12.0)).toEqual(['12'])
    expect(codes('12.0')).toEqual(['12'])
    expect(codes('12.00')).toEqual(['12'])
    expect(parseAuCell(12).labels[0].token).toBe('12')
  })

  it('refuses a fractional number cell', () => {
    expect(codes(12.5)).toEqual([])
    expect(errors(12.5)).toEqual(['12.5:not_au_code'])
    expect(errors('12.5')).toEqual(['12.5:not_au_code'])
  })

  it('gives nothing for empty cells', () => {
    for (const cell of [null, undefined, '', '   '])
      expect(parseAuCell(cell)).toEqual({ labels: [], errors: [] })
  })
})

describe('parseAuCell: SAMM cells', () => {
  it("splits 'R12 + R15' with spaces around the plus", () => {
    expect(codes('R12 + R15')).toEqual(['R12', 'R15'])
  })

  it('keeps the intensity letter of R14A', () => {
    expect(parseAuCell('R14A').labels).toEqual([
      { au: 14, side: 'R', intensity: 'A', token: 'R14A' },
    ])
    expect(codes('4B+7C+12E')).toEqual(['4B', '7C', '12E'])
  })

  it("marks the two sides of an 'or' as alternatives and nothing else", () => {
    expect(codes('R12 or R14')).toEqual(['R12|', 'R14|'])
    expect(codes('4 + 12 or 14')).toEqual(['4', '12|', '14|'])
    expect(codes('4+12 OR 14+17')).toEqual(['4', '12|', '14|', '17'])
  })

  it("does not split inside words that contain 'or'", () => {
    expect(errors('normal')).toEqual(['normal:not_au_code'])
  })
})

describe('parseAuCell: CAS(ME)², CAS(ME)³ and 4DME cells', () => {
  it('reads top and bottom prefixes T18 and B28', () => {
    expect(codes('T18+B28')).toEqual(['T18', 'B28'])
  })

  it("splits on commas and ignores the empty token of '14,L24,'", () => {
    expect(codes('14,L24,')).toEqual(['14', 'L24'])
    expect(errors('14,L24,')).toEqual([])
  })

  it('splits on the full-width comma', () => {
    expect(codes('14，L24')).toEqual(['14', 'L24'])
  })

  it("marks '13?' as uncertain", () => {
    expect(parseAuCell('13?').labels).toEqual([
      { au: 13, side: null, intensity: null, token: '13?', uncertain: true },
    ])
    expect(codes('R12A?')).toEqual(['R12A?'])
  })

  it('reads the AU prefix and the (k) suffix', () => {
    expect(codes('AU4(k)+AU12')).toEqual(['4', '12'])
    expect(parseAuCell('AU4(k)').labels[0].token).toBe('AU4(k)')
    expect(codes('AU 6')).toEqual(['6'])
  })

  it('reads letters in either case and stores them upper case', () => {
    expect(codes('r12a+au4')).toEqual(['R12A', '4'])
  })

  it('normalises full-width digits and letters', () => {
    expect(codes('Ｒ１２')).toEqual(['R12'])
  })
})

describe('parseAuCell: what it cannot read', () => {
  it('reports tokens that are not AU codes', () => {
    expect(errors('4+X3+/')).toEqual(['X3:not_au_code', '/:not_au_code'])
    expect(codes('4+X3+/')).toEqual(['4'])
    expect(errors('12 14')).toEqual(['12 14:not_au_code'])
  })

  it('reports numbers outside 1–99 and numbers FACS does not define', () => {
    expect(errors('0+100')).toEqual(['0:out_of_range', '100:out_of_range'])
    expect(errors('3+8+19')).toEqual(['3:unknown_au'])
    expect(parseAuCell('3').errors[0].reason).toMatch(/FACS has no AU 3/)
  })

  it('keeps the first of a repeated AU and reports the repeat, sides apart', () => {
    expect(codes('4+4')).toEqual(['4'])
    expect(errors('4+4')).toEqual(['4:duplicate'])
    expect(codes('R12+L12+12')).toEqual(['R12', 'L12', '12'])
    expect(errors('R14A+R14B')).toEqual(['R14B:duplicate'])
  })
})

describe('formatAuCell', () => {
  it('writes labels in sheet notation, sorted', () => {
    const labels: Pick<AuLabel, 'au' | 'side' | 'intensity'>[] = [
      { au: 12, side: 'R', intensity: 'B' },
      { au: 1, side: null, intensity: null },
      { au: 12, side: 'L', intensity: null },
    ]
    expect(formatAuCell(labels)).toBe('1+L12+R12B')
    expect(formatAuLabel({ au: 28, side: 'B', intensity: 'C' })).toBe('B28C')
  })

  it('is read back to the same labels', () => {
    for (const cell of ['1+2+4', 'L10+R12', 'R14A+R15', 'T18+B28C', '25']) {
      const labels = parseAuCell(cell).labels
      const again = parseAuCell(formatAuCell(labels)).labels
      expect(again.map(({ au, side, intensity }) => ({ au, side, intensity }))).toEqual(
        labels
          .map(({ au, side, intensity }) => ({ au, side, intensity }))
          .sort((a, b) => a.au - b.au),
      )
    }
  })
})
