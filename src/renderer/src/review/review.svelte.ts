import type { ClipCard, CoderCodes } from '../../../shared/coding'
import type { Dataset } from '../../../shared/domain'
import {
  chosenThresholdsOf,
  thresholdOf,
  thresholdSourceText,
  type DecisionThresholds,
} from '../../../shared/decision-thresholds'
import { formatNumber } from '../lib/format'
import type { ModelSummary } from '../../../shared/ml'
import type { CodersState } from '../lib/coders.svelte'
import { describeError } from '../lib/errors'
import { engine, transport } from '../lib/engine'
import { JobTracker, latestJob } from '../lib/job-tracker.svelte'
import { LatestRequest } from '../lib/latest-request'
import { cursorAfterChange, disagreementQueue, stepIndex, type Disagreement } from './decisions'
import { labelsByCoder, NO_LABELS, withClipLabels, type LabelsByCoder } from './labels'
import { predictionGrid, type ClipPrediction, type PredictionGrid } from './predictions'

const NO_LABELS_BY_CODER: LabelsByCoder = new Map()

/**
 * The Review screen's state: a dataset and a model, the model's stored predictions of the
 * dataset's clips, every coder's labels of the AUs the model predicts, the thresholds that
 * turn probabilities into yes/no (the model's own by default, or one the coder sets; see
 * shared/decision-thresholds.ts), and the queue of the editing coder's disagreements with
 * the model (see decisions.ts), with a cursor the coder steps through.
 */
export class ReviewState {
  datasets: Dataset[] = $state([])
  models: ModelSummary[] = $state([])
  datasetId: number | null = $state(null)
  modelId: number | null = $state(null)
  clips: ClipCard[] = $state.raw([])
  grid: PredictionGrid | null = $state.raw(null)
  labels: LabelsByCoder = $state.raw(NO_LABELS_BY_CODER)
  /** Coders who coded some clip of the dataset (any kind). */
  datasetCoders: number[] = $state.raw([])
  /** The one threshold the coder set for every AU (used when useModelThresholds is off). */
  threshold = $state(0.5)
  /** Decide at the model's own thresholds (its chosen ones, else 0.5); off once moved. */
  useModelThresholds = $state(true)
  /** The selected model's chosen thresholds (AU → threshold), null when it has none. */
  modelThresholds: Record<string, number> | null = $state.raw(null)
  /** Index of the current item of the queue (−1: none). */
  cursor = $state(-1)
  /** The clip shown in the detail panel, and the AU chosen there. */
  selectedClipId: number | null = $state(null)
  selectedAu: number | null = $state(null)
  loading = $state(false)
  error: string | null = $state(null)
  /** The last accept, for a status line. */
  notice: string | null = $state(null)
  readonly predictJob: JobTracker
  private readonly unsubscribe: () => void
  /**
   * Loads of the clips, the predictions and the labels: only the latest of each lands, so a
   * slow answer for an earlier dataset or model never overwrites the newer choice.
   */
  private readonly clipLoads = new LatestRequest()
  private readonly predictionLoads = new LatestRequest()
  private readonly labelLoads = new LatestRequest()

  constructor(
    datasetId: number | null,
    modelId: number | null,
    private readonly coders: CodersState,
  ) {
    this.datasetId = datasetId
    this.modelId = modelId
    this.predictJob = new JobTracker('Prediction', () => void this.loadPredictions())
    this.unsubscribe = transport.subscribe('data.changed', (change) => {
      if (change.entity === 'models') void this.modelsChanged()
    })
  }

  /** The selected model, if any. */
  get model(): ModelSummary | undefined {
    return this.models.find((m) => m.id === this.modelId)
  }

  /** The selected dataset, if any. */
  get dataset(): Dataset | undefined {
    return this.datasets.find((d) => d.id === this.datasetId)
  }

  /** The clips that have predictions, in the library's order (subject, name). */
  get rows(): { clip: ClipCard; prediction: ClipPrediction }[] {
    const grid = this.grid
    if (!grid) return []
    return this.clips.flatMap((clip) => {
      const prediction = grid.byClip.get(clip.id)
      return prediction ? [{ clip, prediction }] : []
    })
  }

  /** Clips of the dataset the model has not predicted. */
  get unpredicted(): number {
    return this.clips.length - this.rows.length
  }

  /** Labels of the coder who edits (clip id → AUs). */
  get editingLabels(): ReadonlyMap<number, ReadonlySet<number>> {
    const id = this.coders.currentId
    return id === null ? NO_LABELS : (this.labels.get(id) ?? NO_LABELS)
  }

  /** Coders shown next to the probabilities: everyone who coded, and the editing coder. */
  get shownCoders(): number[] {
    const id = this.coders.currentId
    const ids = id === null || this.datasetCoders.includes(id) ? [] : [id]
    return [...this.datasetCoders, ...ids].sort((a, b) => a - b)
  }

  /** Where the thresholds in use come from: the model's, 0.5 (none chosen), or the coder. */
  get thresholdSource(): DecisionThresholds['source'] {
    if (!this.useModelThresholds) return 'user'
    return this.modelThresholds ? 'model' : 'default'
  }

  /** The threshold control's value: "model's" when the model's own decide, else the number. */
  get thresholdShown(): string {
    return this.thresholdSource === 'model' ? "model's" : formatNumber(this.thresholdOf(0))
  }

  /** The thresholds in use in words; the model's listed per AU of the grid. */
  get thresholdsInUse(): string {
    const words = thresholdSourceText(this.thresholdSource)
    if (this.thresholdSource !== 'model') return words
    const aus = this.grid?.aus ?? []
    return `${words} (${aus.map((au) => `AU${au} ${formatNumber(this.thresholdOf(au))}`).join(', ')})`
  }

  /** The threshold an AU is decided at. */
  thresholdOf(au: number): number {
    return thresholdOf(
      this.modelThresholds,
      au,
      this.useModelThresholds ? undefined : this.threshold,
    )
  }

  /** The editing coder's disagreements with the model, most confident first. */
  get queue(): Disagreement[] {
    const rows = this.rows.map((r) => ({
      clipId: r.clip.id,
      probabilities: r.prediction.probabilities,
    }))
    return disagreementQueue(rows, this.editingLabels, (au) => this.thresholdOf(au))
  }

  /** The queue's current item. */
  get current(): Disagreement | undefined {
    return this.cursor >= 0 ? this.queue[this.cursor] : undefined
  }

  /** A clip card by id. */
  clip(id: number): ClipCard | undefined {
    return this.clips.find((c) => c.id === id)
  }

  /** Loads datasets and models, then the selection's clips, predictions and labels. */
  async load(): Promise<void> {
    try {
      const [datasets] = await Promise.all([engine['datasets.list']({}), this.loadModels()])
      this.datasets = datasets
      if (!this.dataset) this.datasetId = this.datasets[0]?.id ?? null
      // A prediction still running (started before a reload) keeps its progress bar.
      const latest = await latestJob(['ml.predict'])
      if (latest && (latest.status === 'queued' || latest.status === 'running')) {
        this.predictJob.adopt(latest)
      }
      await this.reload()
    } catch (error) {
      this.error = describeError(error)
    }
  }

  /** Shows another dataset (nothing to do when it is the one shown). */
  selectDataset(id: number): Promise<void> {
    if (id === this.datasetId) return Promise.resolve()
    this.datasetId = id
    return this.reload()
  }

  /** Shows another model's predictions (nothing to do when it is the one shown). */
  selectModel(id: number): Promise<void> {
    if (id === this.modelId) return Promise.resolve()
    this.modelId = id
    this.useModelThresholds = true
    return this.loadPredictions()
  }

  /**
   * Sets one threshold for every AU (leaving the model's), keeping the cursor on the item it
   * was on where possible.
   */
  setThreshold(value: number): void {
    this.keepCursor(() => {
      this.threshold = Math.min(1, Math.max(0, value))
      this.useModelThresholds = false
    })
  }

  /** Goes back to the model's own thresholds. */
  useModelsThresholds(): void {
    this.keepCursor(() => (this.useModelThresholds = true))
  }

  /**
   * Starts predicting the dataset's clips with the model: only the clips it has not
   * predicted when some are, every clip again otherwise.
   */
  predict(): Promise<void> {
    const modelId = this.modelId
    const datasetId = this.datasetId
    if (modelId === null || datasetId === null) return Promise.resolve()
    const predicted = this.grid?.byClip
    const missing = this.clips.filter((c) => !predicted?.has(c.id)).map((c) => c.id)
    const clipIds = missing.length > 0 && missing.length < this.clips.length ? missing : undefined
    return this.predictJob.start(() => engine['ml.predict']({ modelId, datasetId, clipIds }))
  }

  /** Moves through the queue (+1 next, −1 previous) and shows the item's clip. */
  step(delta: number): void {
    this.cursor = stepIndex(this.cursor, this.queue.length, delta)
    this.showCurrent()
  }

  /** Jumps to an item of the queue. */
  goTo(index: number): void {
    this.cursor = stepIndex(index, this.queue.length, 0)
    this.showCurrent()
  }

  /** Shows a clip (and one of its AUs) in the detail panel. */
  select(clipId: number, au: number | null = null): void {
    this.selectedClipId = clipId
    if (au !== null) this.selectedAu = au
    const index = this.queue.findIndex((d) => d.clipId === clipId && (au === null || d.au === au))
    if (index >= 0) this.cursor = index
  }

  /**
   * Accepts the model's yes into the editing coder's labels (the engine audits it as
   * `model:<id>`), for the current item or the one given. Only a model-only disagreement
   * can be accepted: the model adds AUs, it never removes a coder's.
   */
  async accept(item: Disagreement | undefined = this.current): Promise<void> {
    const coderId = this.coders.currentId
    const modelId = this.modelId
    if (!item || item.kind !== 'model-only' || coderId === null || modelId === null) return
    try {
      const codes = await engine['predictions.accept']({
        clipId: item.clipId,
        coderId,
        modelId,
        au: item.au,
      })
      this.keepCursor(() => this.storeCodes(item.clipId, codes))
      const clip = this.clip(item.clipId)
      this.notice = `Accepted AU ${item.au} on ${clip?.subject ?? ''} ${clip?.name ?? item.clipId} into ${this.coders.name(coderId)}'s labels.`
      this.error = null
      this.showCurrent()
    } catch (error) {
      this.error = describeError(error)
    }
  }

  /** Leaves the current item as it is and moves on. */
  skip(): void {
    this.step(1)
  }

  /** Reloads the labels (after the editing coder changed or labels changed elsewhere). */
  refreshLabels(): Promise<void> {
    return this.keepCursorAsync(() => this.loadLabels())
  }

  /** Stops listening for engine events. */
  dispose(): void {
    this.unsubscribe()
    this.predictJob.dispose()
  }

  private showCurrent(): void {
    const item = this.current
    if (item) {
      this.selectedClipId = item.clipId
      this.selectedAu = item.au
    }
  }

  /**
   * Reloads the models; answers whether the selected model changed (it was deleted, or
   * there was none). The selected model stays when it still exists.
   */
  private async loadModels(): Promise<boolean> {
    this.models = await engine['models.list']({})
    if (this.model) return false
    const before = this.modelId
    this.modelId = this.models[0]?.id ?? null
    return this.modelId !== before
  }

  /** Models were trained, renamed or deleted: another selected model shows its predictions. */
  private async modelsChanged(): Promise<void> {
    try {
      if (await this.loadModels()) await this.loadPredictions()
    } catch (error) {
      this.error = describeError(error)
    }
  }

  private async reload(): Promise<void> {
    const datasetId = this.datasetId
    if (datasetId === null) return
    const current = this.clipLoads.begin()
    this.loading = true
    try {
      const page = await engine['library.page']({ datasetId })
      if (!current()) return
      this.clips = page.clips
      this.datasetCoders = page.facets.coderIds
      await this.loadPredictions()
    } catch (error) {
      if (current()) this.error = describeError(error)
    } finally {
      if (current()) this.loading = false
    }
  }

  private async loadPredictions(): Promise<void> {
    const { datasetId, modelId } = this
    const current = this.predictionLoads.begin()
    if (datasetId === null || modelId === null) {
      this.grid = null
      return
    }
    try {
      const [rows, model] = await Promise.all([
        engine['predictions.list']({ datasetId, modelId, limit: 100_000 }),
        engine['models.get']({ id: modelId }),
      ])
      if (!current()) return
      this.modelThresholds = chosenThresholdsOf(model.config)
      this.grid = predictionGrid(rows)
      await this.loadLabels()
      if (!current()) return
      this.cursor = this.queue.length > 0 ? 0 : -1
      this.showCurrent()
      this.error = null
    } catch (error) {
      if (current()) this.error = describeError(error)
    }
  }

  /** Every shown coder's labels of the dataset (one labels.list call). */
  private async loadLabels(): Promise<void> {
    const datasetId = this.datasetId
    const coderIds = this.shownCoders
    // Started even when there is nothing to load, so a load still on its way for the
    // previous selection does not land.
    const current = this.labelLoads.begin()
    if (datasetId === null || coderIds.length === 0) {
      this.labels = NO_LABELS_BY_CODER
      return
    }
    const rows = await engine['labels.list']({ datasetId, coderIds })
    if (!current()) return
    this.labels = labelsByCoder(rows, coderIds)
  }

  /** Puts a coder's codes of one clip (as a labelling call answers them) into the labels. */
  private storeCodes(clipId: number, codes: CoderCodes): void {
    const aus = codes.labels.map((l) => l.au)
    this.labels = withClipLabels(this.labels, codes.coderId, clipId, aus)
  }

  private keepCursor(change: () => void): void {
    const before = this.queue
    const index = this.cursor
    change()
    this.cursor = cursorAfterChange(before, index, this.queue)
  }

  private async keepCursorAsync(change: () => Promise<void>): Promise<void> {
    const before = this.queue
    const index = this.cursor
    await change()
    this.cursor = cursorAfterChange(before, index, this.queue)
  }
}
