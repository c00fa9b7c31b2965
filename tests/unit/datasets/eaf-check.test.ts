import { describe, expect, it } from 'vitest'
import { checkEaf } from '../../../src/engine/datasets/eaf/eaf-check'
import { writeEafXml, type EafDocument } from '../../../src/engine/datasets/eaf/eaf-document'
import { parseXmlTree, type XmlElement } from '../../../src/engine/datasets/eaf/xml-tree'

function document(): EafDocument {
  return {
    author: 'test',
    date: '2026-12-07T03:00:00.000Z',
    media: [
      { url: 'file:///data/clip%201.mp4', relativeUrl: './clip%201.mp4', mimeType: 'video/mp4' },
    ],
    properties: [{ name: 'note', value: 'a <b> & "c"\nd' }],
    timeSlots: [
      { id: 'ts1', ms: 0 },
      { id: 'ts2', ms: 120 },
    ],
    tiers: [
      {
        id: 'Ann B.',
        type: 'iv',
        annotations: [{ id: 'a1', startSlot: 'ts1', endSlot: 'ts2', value: 'R14B' }],
      },
    ],
    linguisticTypes: [{ id: 'iv', timeAlignable: true }],
    vocabularies: [
      { id: 'cv', description: 'd', entries: [{ id: 'e1', value: '14', description: 'Dimpler' }] },
    ],
  }
}

function problemsOf(xml: string): string[] {
  return checkEaf(parseXmlTree(xml) as XmlElement).map((p) => `${p.where}: ${p.message}`)
}

const valid = writeEafXml(document())

describe('EAF 3.0 check', () => {
  it('passes what the writer writes, text and attributes escaped', () => {
    expect(problemsOf(valid)).toEqual([])
    const root = parseXmlTree(valid) as XmlElement
    expect(root.children[0].children[1].text).toBe('a <b> & "c"\nd')
  })

  it('names an annotation whose time slot is missing', () => {
    const xml = valid.replace('TIME_SLOT_REF2="ts2"', 'TIME_SLOT_REF2="ts9"')
    expect(problemsOf(xml)).toEqual([
      'ANNOTATION_DOCUMENT/TIER[1] "Ann B."/ANNOTATION[1]/ALIGNABLE_ANNOTATION[1] "a1": TIME_SLOT_REF2="ts9" names no TIME_SLOT of the document',
    ])
  })

  it('names elements out of the schema order, lacking or unknown', () => {
    const tier = valid.slice(valid.indexOf('    <TIER'), valid.indexOf('</TIER>') + 8)
    const moved = valid.replace(tier, '').replace('    <TIME_ORDER>', `${tier}    <TIME_ORDER>`)
    expect(problemsOf(moved)).toEqual([
      'ANNOTATION_DOCUMENT: TIER is out of place in ANNOTATION_DOCUMENT where TIME_ORDER must come',
    ])
    const noHeader = valid.replace(/<HEADER[\s\S]*<\/HEADER>/, '')
    expect(problemsOf(noHeader)).toEqual([
      'ANNOTATION_DOCUMENT: TIME_ORDER is out of place in ANNOTATION_DOCUMENT where HEADER must come',
    ])
    expect(problemsOf(valid.replace('<TIME_ORDER>', '<TIME_ORDER><SLOT/>'))).toEqual([
      'ANNOTATION_DOCUMENT/TIME_ORDER[1]: SLOT is out of place in TIME_ORDER',
      'ANNOTATION_DOCUMENT/TIME_ORDER[1]/SLOT[1]: EAF 3.0 has no element SLOT',
    ])
  })

  it('names missing, unknown and mistyped attributes', () => {
    expect(problemsOf(valid.replace(' AUTHOR="test"', ''))).toEqual([
      'ANNOTATION_DOCUMENT: ANNOTATION_DOCUMENT lacks AUTHOR',
    ])
    expect(
      problemsOf(valid.replace('DATE="2026-12-07T03:00:00.000Z"', 'DATE="7 Dec 2026"')),
    ).toEqual(['ANNOTATION_DOCUMENT: DATE="7 Dec 2026" is not a valid xsd:dateTime'])
    expect(problemsOf(valid.replace('TIME_VALUE="120"', 'TIME_VALUE="-5"'))).toEqual([
      'ANNOTATION_DOCUMENT/TIME_ORDER[1]/TIME_SLOT[2] "ts2": TIME_VALUE="-5" is not a valid xsd:unsignedInt',
    ])
    expect(problemsOf(valid.replace('TIER_ID="Ann B."', 'TIER_ID="Ann B." COLOUR="red"'))).toEqual([
      'ANNOTATION_DOCUMENT/TIER[1] "Ann B.": EAF 3.0 has no attribute COLOUR on TIER',
    ])
  })

  it('names duplicate IDs and keys and unresolved type references', () => {
    expect(problemsOf(valid.replace('TIME_SLOT_ID="ts2"', 'TIME_SLOT_ID="ts1"'))).toContain(
      'ANNOTATION_DOCUMENT/TIME_ORDER[1]/TIME_SLOT[2] "ts1": the ID ts1 is used twice',
    )
    expect(
      problemsOf(valid.replace('LINGUISTIC_TYPE_REF="iv"', 'LINGUISTIC_TYPE_REF="x"')),
    ).toEqual([
      'ANNOTATION_DOCUMENT/TIER[1] "Ann B.": LINGUISTIC_TYPE_REF="x" names no LINGUISTIC_TYPE of the document',
    ])
    expect(problemsOf(valid.replace('ANNOTATION_ID="a1"', 'ANNOTATION_ID="1a"'))).toEqual([
      'ANNOTATION_DOCUMENT/TIER[1] "Ann B."/ANNOTATION[1]/ALIGNABLE_ANNOTATION[1] "1a": ANNOTATION_ID="1a" is not a valid xsd:ID',
    ])
  })

  it('refuses another root element', () => {
    expect(problemsOf('<EAF/>')).toEqual(['EAF: the root element is EAF, not ANNOTATION_DOCUMENT'])
  })
})
