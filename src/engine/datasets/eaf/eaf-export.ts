import fs from 'node:fs'
import path from 'node:path'
import { AppError } from '../../../shared/errors'
import type { LibraryDb } from '../../db/open-library'
import { loadDatasetClips } from '../export/coded-rows'
import { auVocabulary, clipEafDocument, type SkippedCodes } from './clip-eaf'
import { checkEaf } from './eaf-check'
import { writeEafXml } from './eaf-document'
import { MAX_EAF_FPS } from './eaf-time'
import { mediaLink } from './media-link'
import { parseXmlTree } from './xml-tree'

/** What an ELAN export wrote. */
export interface EafExportResult {
  outDir: string
  files: number
  skipped: SkippedCodes[]
}

/**
 * Writes one .eaf per clip of a dataset, `<outDir>/<subject>/<clip>.eaf`, each linked to the
 * clip's video or frame folder and holding every coder's codes (or one coder's). Each file
 * is checked against EAF 3.0 before it is written. Clips faster than 1000 fps cannot be
 * written frame-exact in milliseconds: an `unsupported` error, before any file is written.
 */
export function exportEaf(
  db: LibraryDb,
  options: { dataset: string; outDir: string; coder?: string; date?: Date },
): EafExportResult {
  const outDir = path.resolve(options.outDir)
  const clips = loadDatasetClips(db, options.dataset, options.coder)
  const fast = clips.find((c) => c.fps > MAX_EAF_FPS)
  if (fast) {
    throw new AppError(
      'unsupported',
      `${fast.subject}/${fast.name} runs at ${fast.fps} fps: ELAN's milliseconds cannot tell its frames apart (at most ${MAX_EAF_FPS} fps)`,
      { clip: `${fast.subject}/${fast.name}`, fps: fast.fps },
    )
  }
  const vocabulary = auVocabulary(
    clips.flatMap((c) => c.codes.flatMap((k) => k.labels.map((l) => l.au))),
  )
  const date = (options.date ?? new Date()).toISOString()
  const result: EafExportResult = { outDir, files: 0, skipped: [] }
  const taken = new Set<string>()
  for (const clip of clips) {
    const file = freeFileName(outDir, clip.subject, clip.name, taken)
    const media = mediaLink(clip.sourcePath, clip.sourceKind, file)
    const doc = clipEafDocument(
      clip,
      { dataset: options.dataset, media, vocabulary, date },
      result.skipped,
    )
    const xml = writeEafXml(doc)
    assertValid(xml, file)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, xml)
    result.files++
  }
  return result
}

/** Our own output must pass the same EAF 3.0 check as what we read. */
function assertValid(xml: string, file: string): void {
  const root = parseXmlTree(xml)
  const problems = 'name' in root ? checkEaf(root) : [{ where: file, message: root.message }]
  if (problems.length > 0) {
    throw new AppError(
      'internal',
      `The .eaf for ${file} breaks EAF 3.0: ${problems[0].where}: ${problems[0].message}`,
      {
        file,
        problems,
      },
    )
  }
}

/**
 * `<outDir>/<subject>/<clip>.eaf` with names made safe; two clips whose safe names meet get
 * ' (2)', ' (3)'… (case-insensitively, as on Windows and macOS), never one file for both.
 */
function freeFileName(outDir: string, subject: string, clip: string, taken: Set<string>): string {
  const base = path.join(outDir, safeName(subject), safeName(clip))
  let file = `${base}.eaf`
  for (let n = 2; taken.has(file.toLowerCase()); n++) file = `${base} (${n}).eaf`
  taken.add(file.toLowerCase())
  return file
}

/** A subject or clip name as a file name: characters no file system takes become '_'. */
export function safeName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').replace(/^\.+$/, '_')
  return cleaned === '' ? '_' : cleaned
}
