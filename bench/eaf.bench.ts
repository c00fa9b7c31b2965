/**
 * ELAN round trip at library scale: a dataset of N clips (two coders each, three AU labels
 * per coder, every clip on one 40-frame folder) exported to N .eaf files and imported into a
 * new library, for N = 500 and 2000, each size in a fresh library.
 *
 *   npx tsx bench/eaf.bench.ts
 *
 * Prints a markdown section and writes it to bench/results/eaf.md.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { exportEaf } from '../src/engine/datasets/eaf/eaf-export'
import { importEaf } from '../src/engine/datasets/eaf/eaf-import'
import type { PlannedClip } from '../src/engine/datasets/import/import-plan'
import { writeImport } from '../src/engine/datasets/import/write-import'
import { encodeJpegRgb } from '../src/engine/datasets/synthetic/jpeg-encoder'
import { openLibrary } from '../src/engine/db/open-library'

const SIZES = [500, 2000]
const FRAMES = 40

function frameFolder(dir: string): string {
  const folder = path.join(dir, 'frames', 'clip')
  fs.mkdirSync(folder, { recursive: true })
  const data = new Uint8Array(32 * 32 * 3).fill(90)
  const jpeg = encodeJpegRgb({ data, width: 32, height: 32 })
  for (let n = 1; n <= FRAMES; n++) fs.writeFileSync(path.join(folder, `img${n}.jpg`), jpeg)
  return folder
}

function plannedClip(folder: string, i: number): PlannedClip {
  const codes = (coder: string, shift: number) => ({
    coder,
    coderKind: 'human' as const,
    onset: 3 + shift,
    apex: 12 + shift,
    offset: 30 + shift,
    apexEstimated: false,
    labels: [
      { au: 4, side: null, intensity: 'C' as const },
      { au: 12, side: 'L' as const, intensity: 'B' as const },
      { au: 14, side: 'R' as const, intensity: null },
    ],
    file: 'bench',
  })
  return {
    subject: `s${String(i % 50).padStart(2, '0')}`,
    name: `clip${i}`,
    sourceKind: 'frames',
    sourcePath: folder,
    fps: 200,
    width: 32,
    height: 32,
    frames: Array.from({ length: FRAMES }, (_, k) => ({ number: k + 1, file: `img${k + 1}.jpg` })),
    emotion: null,
    codes: [codes('Ann', 0), codes('Bob', 1)],
  }
}

interface Row {
  clips: number
  exportSeconds: number
  importSeconds: number
  bytes: number
  heapMiB: number
}

async function measure(clips: number): Promise<Row> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microau-eaf-bench-'))
  try {
    const folder = frameFolder(dir)
    const source = openLibrary(path.join(dir, 'a.sqlite'))
    writeImport(source, {
      dataset: 'bench',
      format: 'csv',
      source: 'bench',
      fps: 200,
      clips: Array.from({ length: clips }, (_, i) => plannedClip(folder, i)),
      flags: [],
    })
    const out = path.join(dir, 'elan')
    let start = performance.now()
    const written = exportEaf(source, { dataset: 'bench', outDir: out })
    const exportSeconds = (performance.now() - start) / 1000
    source.close()
    const target = openLibrary(path.join(dir, 'b.sqlite'))
    const heapBefore = process.memoryUsage().heapUsed
    start = performance.now()
    const report = await importEaf(target, { source: out, dataset: 'bench' })
    const importSeconds = (performance.now() - start) / 1000
    const heapMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20
    target.close()
    if (written.files !== clips || report.clips !== clips || report.labels !== clips * 6) {
      throw new Error(`round trip lost codes: ${JSON.stringify({ written, report })}`)
    }
    const bytes = fs
      .readdirSync(out, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .reduce((sum, e) => sum + fs.statSync(path.join(e.parentPath, e.name)).size, 0)
    return { clips, exportSeconds, importSeconds, bytes, heapMiB }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

const rows: Row[] = []
for (const clips of SIZES) rows.push(await measure(clips))
const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
const lines = [
  '## ELAN round trip',
  '',
  `${new Date().toISOString().slice(0, 10)} · ${cpu} (${os.cpus().length} logical CPUs, load average ${os.loadavg()[0].toFixed(1)} at the end) · Node ${process.version} · \`npx tsx bench/eaf.bench.ts\`, one run per size.`,
  '',
  '| Clips (2 coders, 3 AUs each) | Export s | Export clips/s | Import s | Import clips/s | .eaf total | Heap growth in import |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.clips} | ${r.exportSeconds.toFixed(2)} | ${Math.round(r.clips / r.exportSeconds)} | ${r.importSeconds.toFixed(2)} | ${Math.round(r.clips / r.importSeconds)} | ${(r.bytes / 2 ** 20).toFixed(1)} MiB | ${r.heapMiB.toFixed(1)} MiB |`,
  ),
  '',
  '- Export: read the dataset, build, check against EAF 3.0 and write one file per clip. Import: read and check every file, plan the clips (one frame folder scanned once), write all in one transaction.',
  '- The import reads every document before it writes (all or nothing), so its memory grows with the number of files (a few KiB each), not with any recording length; heap growth is the heap in use after the import minus before it (no forced collection, so an upper bound). The machine was shared (see the load average): the times are wall clock and vary with it.',
]
const text = lines.join('\n') + '\n'
fs.mkdirSync(path.join(import.meta.dirname, 'results'), { recursive: true })
fs.writeFileSync(path.join(import.meta.dirname, 'results', 'eaf.md'), text)
console.log(text)
