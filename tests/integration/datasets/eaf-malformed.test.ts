import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { importEaf } from '../../../src/engine/datasets/eaf/eaf-import'
import {
  appError,
  codesSnapshot,
  range,
  testLibrary,
  writeFrames,
  type TestLibrary,
} from './fixtures'

/** An .eaf as ELAN writes it, linked to ./frames/clip1 (no MicroAU properties). */
function elanFile(options: {
  slots: [string, number][]
  tiers: {
    id: string
    parent?: string
    type?: string
    annotations: [string, string, string, string][]
  }[]
}): string {
  const slots = options.slots.map(
    ([id, ms]) => `<TIME_SLOT TIME_SLOT_ID="${id}" TIME_VALUE="${ms}"/>`,
  )
  const tiers = options.tiers.map(
    (t) =>
      `<TIER LINGUISTIC_TYPE_REF="${t.type ?? 'default-lt'}" TIER_ID="${t.id}"${t.parent ? ` PARENT_REF="${t.parent}"` : ''}>` +
      t.annotations
        .map(
          ([id, a, b, value]) =>
            `<ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="${id}" TIME_SLOT_REF1="${a}" TIME_SLOT_REF2="${b}"><ANNOTATION_VALUE>${value}</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>`,
        )
        .join('') +
      '</TIER>',
  )
  return `<?xml version="1.0" encoding="UTF-8"?>
<ANNOTATION_DOCUMENT AUTHOR="" DATE="2026-01-05T10:00:00+01:00" FORMAT="3.0" VERSION="3.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://www.mpi.nl/tools/elan/EAFv3.0.xsd">
  <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">
    <MEDIA_DESCRIPTOR MEDIA_URL="file:///nowhere/clip1" MIME_TYPE="unknown" RELATIVE_MEDIA_URL="./frames/clip1"/>
    <PROPERTY NAME="lastUsedAnnotationId">9</PROPERTY>
  </HEADER>
  <TIME_ORDER>${slots.join('')}</TIME_ORDER>
  ${tiers.join('\n  ')}
  <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="default-lt" TIME_ALIGNABLE="true"/>
  <LINGUISTIC_TYPE CONSTRAINTS="Included_In" GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="inc" TIME_ALIGNABLE="true"/>
  <CONSTRAINT DESCRIPTION="Time alignable annotations within the parent annotation's time interval, gaps are allowed" STEREOTYPE="Included_In"/>
</ANNOTATION_DOCUMENT>
`
}

// 100 fps (given), frames 1..40: frame n starts at (n − 1) × 10 ms.
const SLOTS: [string, number][] = [
  ['ts1', 50],
  ['ts2', 200],
  ['ts3', 100],
  ['ts4', 110],
  ['ts5', 60],
  ['ts6', 250],
]
const GOOD = {
  slots: SLOTS,
  tiers: [
    {
      id: 'Coder A',
      annotations: [['a1', 'ts1', 'ts2', 'R14B+4']] as [string, string, string, string][],
    },
    {
      id: 'Coder A apex',
      parent: 'Coder A',
      type: 'inc',
      annotations: [['a2', 'ts3', 'ts4', 'apex']] as [string, string, string, string][],
    },
    {
      id: 'Coder B',
      annotations: [['a3', 'ts5', 'ts6', 'L12A']] as [string, string, string, string][],
    },
  ],
}

let lib: TestLibrary
let dir: string

beforeEach(() => {
  lib = testLibrary()
  dir = path.join(lib.dir, 'elan')
  writeFrames(path.join(dir, 'frames', 'clip1'), (n) => `img${n}.jpg`, range(1, 40))
})
afterEach(() => lib.cleanup())

function write(name: string, text: string): string {
  const file = path.join(dir, name)
  fs.writeFileSync(file, text)
  return file
}

describe('ELAN import of files made in ELAN', () => {
  it('reads each tier as a coder, the dependent tier as the apex, times on frames', async () => {
    const file = write('s01.eaf', elanFile(GOOD))
    const report = await importEaf(lib.db, {
      source: file,
      dataset: 'elan',
      fps: 100,
      subject: 's01',
    })
    expect(report.coders).toEqual(['Coder A', 'Coder B'])
    expect(report.flags).toEqual([])
    const { markers, labels } = codesSnapshot(lib.db)
    expect(markers).toMatchObject([
      {
        subject: 's01',
        clip: 's01',
        coder: 'Coder A',
        onset: 6,
        apex: 11,
        offset: 20,
        apex_estimated: 0,
      },
      { coder: 'Coder B', onset: 7, apex: null, offset: 25 },
    ])
    expect(labels).toMatchObject([
      { coder: 'Coder A', au: 4, side: null, intensity: null },
      { coder: 'Coder A', au: 14, side: 'R', intensity: 'B' },
      { coder: 'Coder B', au: 12, side: 'L', intensity: 'A' },
    ])
  })

  it('flags a boundary between frames and snaps it to the nearest one', async () => {
    const slots = SLOTS.map(([id, ms]): [string, number] => [id, id === 'ts1' ? 54 : ms])
    const file = write('s01.eaf', elanFile({ ...GOOD, slots }))
    const report = await importEaf(lib.db, { source: file, dataset: 'elan', fps: 100 })
    expect(report.flags.map((f) => [f.code, f.message])).toContainEqual([
      'time_between_frames',
      "Tier 'Coder A', annotation a1 begins at 54 ms, between frames; taken as frame 6",
    ])
  })
})

describe('a malformed .eaf', () => {
  it('with a missing time slot is an error naming the annotation; the library is unchanged', async () => {
    const before = lib.hash()
    const file = write(
      's01.eaf',
      elanFile({ ...GOOD, slots: SLOTS.filter(([id]) => id !== 'ts6') }),
    )
    const error = await appError(() =>
      importEaf(lib.db, { source: file, dataset: 'elan', fps: 100 }),
    )
    expect(error.code).toBe('invalid_file')
    expect(error.message).toContain(file)
    expect(error.message).toContain(
      'ALIGNABLE_ANNOTATION[1] "a3": TIME_SLOT_REF2="ts6" names no TIME_SLOT',
    )
    expect(lib.hash()).toBe(before)
  })

  it('with overlapping annotations on one tier is an error naming both; nothing lands', async () => {
    write('a-good.eaf', elanFile(GOOD))
    const overlapping = {
      slots: SLOTS,
      tiers: [
        {
          id: 'Coder A',
          annotations: [
            ['a1', 'ts1', 'ts2', '4'],
            ['a2', 'ts5', 'ts6', '12'],
          ] as [string, string, string, string][],
        },
      ],
    }
    write('b-overlap.eaf', elanFile(overlapping))
    const before = lib.hash()
    const error = await appError(() =>
      importEaf(lib.db, { source: dir, dataset: 'elan', fps: 100 }),
    )
    expect(error.code).toBe('invalid_file')
    expect(error.message).toBe(
      `${path.join(dir, 'b-overlap.eaf')}: tier 'Coder A' has overlapping annotations a1 (50–200 ms) and a2 (60–250 ms)`,
    )
    expect(lib.hash()).toBe(before)
  })

  it('with an unknown AU token flags it and stores the codes it can read', async () => {
    const tiers = [
      {
        id: 'Coder A',
        annotations: [['a1', 'ts1', 'ts2', 'R14B+X3+3']] as [string, string, string, string][],
      },
    ]
    const file = write('s01.eaf', elanFile({ slots: SLOTS, tiers }))
    const report = await importEaf(lib.db, { source: file, dataset: 'elan', fps: 100 })
    expect(report.flags.filter((f) => f.code === 'unknown_au_token').map((f) => f.message)).toEqual(
      [
        "Tier 'Coder A', annotation a1: 'X3' is not an AU code; not stored",
        "Tier 'Coder A', annotation a1: '3': FACS has no AU 3; not stored",
      ],
    )
    expect(codesSnapshot(lib.db).labels).toMatchObject([{ au: 14, side: 'R', intensity: 'B' }])
  })

  it('with a tier no coder is mapped to flags the tier and leaves it out', async () => {
    const file = write('s01.eaf', elanFile(GOOD))
    const report = await importEaf(lib.db, {
      source: file,
      dataset: 'elan',
      fps: 100,
      tierCoders: { 'Coder A': 'Ann' },
    })
    expect(report.coders).toEqual(['Ann'])
    expect(report.flags.filter((f) => f.code === 'tier_not_mapped').map((f) => f.message)).toEqual([
      "Tier 'Coder B' is mapped to no coder; not read",
    ])
  })

  it('leaves out the apex tier of a coder tier that is not read, saying so', async () => {
    const file = write('s01.eaf', elanFile(GOOD))
    const report = await importEaf(lib.db, {
      source: file,
      dataset: 'elan',
      fps: 100,
      tierCoders: { 'Coder B': 'Bob' },
    })
    expect(report.flags.filter((f) => f.code === 'tier_not_mapped').map((f) => f.message)).toEqual([
      "Tier 'Coder A' is mapped to no coder; not read",
      "Tier 'Coder A apex' is under 'Coder A', which is not read; not read",
    ])
    expect(codesSnapshot(lib.db).markers).toMatchObject([{ coder: 'Bob', onset: 7, offset: 25 }])
  })

  it('mapped to a tier that is not there is an error; the library is unchanged', async () => {
    const file = write('s01.eaf', elanFile(GOOD))
    const before = lib.hash()
    const error = await appError(() =>
      importEaf(lib.db, {
        source: file,
        dataset: 'elan',
        fps: 100,
        tierCoders: { 'Coder C': 'Cy' },
      }),
    )
    expect(error.code).toBe('invalid_input')
    expect(error.message).toContain("No tier named 'Coder C'")
    expect(lib.hash()).toBe(before)
  })

  it('that is not XML is an error naming the line', async () => {
    const file = write('s01.eaf', elanFile(GOOD).replace('</TIME_ORDER>', ''))
    const error = await appError(() =>
      importEaf(lib.db, { source: file, dataset: 'elan', fps: 100 }),
    )
    expect(error.code).toBe('invalid_file')
    expect(error.message).toMatch(/s01\.eaf, line \d+, column \d+: not well-formed XML/)
  })
})
