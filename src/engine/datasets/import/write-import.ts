import type { LibraryDb } from '../../db/open-library'
import { AppError } from '../../../shared/errors'
import type { ImportPlan, ImportReport, PlannedClip, PlannedCodes } from './import-plan'

/**
 * Writes a plan in one transaction: the dataset, subjects, clips with their frames, coders,
 * markers and AU labels, and the report row in `imports`, with audit_context.source set to
 * 'import' while the audit triggers run. Any error rolls everything back.
 *
 * A clip already in the dataset is reused when it points at the same source (its frames are
 * left as they are); pointing elsewhere, or a coder that already coded the clip, or a coder
 * name taken by a coder of another kind, is a `conflict` error. Codes without a coder kind
 * join the existing coder of that name, or create a 'human' one.
 */
export function writeImport(db: LibraryDb, plan: ImportPlan): ImportReport {
  return db
    .transaction((): ImportReport => {
      const previousSource = (
        db.prepare('SELECT source FROM audit_context WHERE id = 1').get() as { source: string }
      ).source
      db.prepare("UPDATE audit_context SET source = 'import' WHERE id = 1").run()
      const datasetId = getOrCreateDataset(db, plan.dataset)
      const writer = new ClipWriter(db, datasetId, plan.dataset)
      const subjects = new Set<string>()
      const coders = new Set<string>()
      for (const clip of plan.clips) {
        const clipId = writer.clip(clip)
        subjects.add(clip.subject)
        for (const codes of clip.codes) {
          writer.codes(clipId, clip, codes)
          coders.add(codes.coder)
        }
      }
      const report: Omit<ImportReport, 'importId'> = {
        datasetId,
        dataset: plan.dataset,
        format: plan.format,
        source: plan.source,
        fps: plan.fps,
        clips: plan.clips.length,
        subjects: subjects.size,
        frames: writer.frameCount,
        markers: writer.markerCount,
        labels: writer.labelCount,
        coders: [...coders].sort(),
        flags: plan.flags,
      }
      const importId = Number(
        db
          .prepare(
            'INSERT INTO imports (dataset_id, format, source, report, job_id) VALUES (?, ?, ?, ?, ?)',
          )
          .run(datasetId, plan.format, plan.source, JSON.stringify(report), plan.jobId ?? null)
          .lastInsertRowid,
      )
      db.prepare('UPDATE audit_context SET source = ? WHERE id = 1').run(previousSource)
      return { importId, ...report }
    })
    .immediate()
}

function getOrCreateDataset(db: LibraryDb, name: string): number {
  if (name.trim() === '')
    throw new AppError('invalid_input', 'The dataset needs a name', { dataset: name })
  const row = db.prepare('SELECT id FROM datasets WHERE name = ?').get(name) as
    { id: number } | undefined
  if (row) return row.id
  return Number(db.prepare('INSERT INTO datasets (name) VALUES (?)').run(name).lastInsertRowid)
}

class ClipWriter {
  frameCount = 0
  markerCount = 0
  labelCount = 0
  private readonly subjectIds = new Map<string, number>()
  private readonly coderIds = new Map<string, number>()
  private readonly statements

  constructor(
    private readonly db: LibraryDb,
    private readonly datasetId: number,
    private readonly datasetName: string,
  ) {
    this.statements = {
      subject: db.prepare('SELECT id FROM subjects WHERE dataset_id = ? AND code = ?'),
      insertSubject: db.prepare('INSERT INTO subjects (dataset_id, code) VALUES (?, ?)'),
      clip: db.prepare(
        'SELECT id, source_path FROM clips WHERE dataset_id = ? AND subject_id = ? AND name = ?',
      ),
      insertClip: db.prepare(
        `INSERT INTO clips (dataset_id, subject_id, name, source_kind, source_path, fps, frame_count,
           first_frame, width, height, emotion) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertFrame: db.prepare('INSERT INTO frames (clip_id, number, file) VALUES (?, ?, ?)'),
      coder: db.prepare('SELECT id, kind FROM coders WHERE name = ?'),
      insertCoder: db.prepare('INSERT INTO coders (name, kind) VALUES (?, ?)'),
      marker: db.prepare('SELECT 1 FROM markers WHERE clip_id = ? AND coder_id = ?'),
      labels: db.prepare('SELECT 1 FROM au_labels WHERE clip_id = ? AND coder_id = ? LIMIT 1'),
      insertMarker: db.prepare(
        'INSERT INTO markers (clip_id, coder_id, onset, apex, offset, apex_estimated) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      insertLabel: db.prepare(
        'INSERT INTO au_labels (clip_id, coder_id, au, side, intensity) VALUES (?, ?, ?, ?, ?)',
      ),
    }
  }

  clip(clip: PlannedClip): number {
    const subjectId = this.subject(clip.subject)
    const s = this.statements
    const existing = s.clip.get(this.datasetId, subjectId, clip.name) as
      { id: number; source_path: string } | undefined
    if (existing) {
      if (existing.source_path !== clip.sourcePath) {
        throw new AppError(
          'conflict',
          `Dataset '${this.datasetName}' already has clip ${clip.subject}/${clip.name} from ${existing.source_path}, not ${clip.sourcePath}`,
          { dataset: this.datasetName, clip: `${clip.subject}/${clip.name}` },
        )
      }
      return existing.id
    }
    const first = clip.frames[0].number
    const clipId = Number(
      s.insertClip.run(
        this.datasetId,
        subjectId,
        clip.name,
        clip.sourceKind,
        clip.sourcePath,
        clip.fps,
        clip.frames.length,
        first,
        clip.width,
        clip.height,
        clip.emotion,
      ).lastInsertRowid,
    )
    for (const frame of clip.frames) s.insertFrame.run(clipId, frame.number, frame.file)
    this.frameCount += clip.frames.length
    return clipId
  }

  codes(clipId: number, clip: PlannedClip, codes: PlannedCodes): void {
    const s = this.statements
    const coderId = this.coder(codes)
    if (s.marker.get(clipId, coderId) || s.labels.get(clipId, coderId)) {
      throw new AppError(
        'conflict',
        `${codes.file}${codes.row ? `, row ${codes.row}` : ''}: coder '${codes.coder}' has already coded ${clip.subject}/${clip.name} in dataset '${this.datasetName}'`,
        {
          file: codes.file,
          row: codes.row ?? null,
          coder: codes.coder,
          clip: `${clip.subject}/${clip.name}`,
        },
      )
    }
    s.insertMarker.run(
      clipId,
      coderId,
      codes.onset,
      codes.apex,
      codes.offset,
      codes.apexEstimated ? 1 : 0,
    )
    this.markerCount++
    for (const label of codes.labels) {
      s.insertLabel.run(clipId, coderId, label.au, label.side, label.intensity)
      this.labelCount++
    }
  }

  private subject(code: string): number {
    let id = this.subjectIds.get(code)
    if (id === undefined) {
      const row = this.statements.subject.get(this.datasetId, code) as { id: number } | undefined
      id = row
        ? row.id
        : Number(this.statements.insertSubject.run(this.datasetId, code).lastInsertRowid)
      this.subjectIds.set(code, id)
    }
    return id
  }

  private coder(codes: PlannedCodes): number {
    let id = this.coderIds.get(codes.coder)
    if (id !== undefined) return id
    const row = this.statements.coder.get(codes.coder) as { id: number; kind: string } | undefined
    if (row && codes.coderKind !== null && row.kind !== codes.coderKind) {
      throw new AppError(
        'conflict',
        `${codes.file}: the coder name '${codes.coder}' belongs to a coder of kind '${row.kind}', not '${codes.coderKind}'`,
        { file: codes.file, coder: codes.coder },
      )
    }
    id = row
      ? row.id
      : Number(
          this.statements.insertCoder.run(codes.coder, codes.coderKind ?? 'human').lastInsertRowid,
        )
    this.coderIds.set(codes.coder, id)
    return id
  }
}
