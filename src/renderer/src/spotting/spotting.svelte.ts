import type { ClipDetail } from '../../../shared/coding'
import type { Dataset } from '../../../shared/domain'
import type { SpotCandidate, SpotDecisionStatus } from '../../../shared/spotting'
import type { CodersState } from '../lib/coders.svelte'
import { engine } from '../lib/engine'
import { describeError } from '../lib/errors'
import { frameUrl } from '../lib/frame-url'
import { JobTracker } from '../lib/job-tracker.svelte'
import { LatestRequest } from '../lib/latest-request'
import { FrameStore } from '../viewer/frame-store'
import type { MarkerName } from '../viewer/key-map'
import { takesTyping } from '../viewer/viewer.svelte'
import { nextPending, workingFrames } from './candidate-view'
import { spotAction, type SpotAction } from './spot-keys'

/**
 * The Spotting screen's state: the datasets, a coder's queue of spotted candidates in one of
 * them, the candidate chosen and a playhead over its frames (decoded ahead by the viewer's
 * FrameStore). Every decision and adjustment goes through the contract, which audits it.
 */
export class SpottingState {
  datasets: Dataset[] = $state([])
  datasetId: number | null = $state(null)
  candidates: SpotCandidate[] = $state([])
  selected = $state(0)
  detail: ClipDetail | null = $state(null)
  /** Index of the playhead in the chosen candidate's frames. */
  index = $state(0)
  error: string | null = $state(null)
  /** Bumped when a frame is decoded, so the stage repaints. */
  private arrivals = $state(0)
  private store: FrameStore | null = null
  private readonly detailRequest = new LatestRequest()
  readonly cacheJob = new JobTracker('Preparing the frames', () => void this.loadDetail())

  constructor(
    private readonly coders: CodersState,
    initialDataset: number | null,
  ) {
    this.datasetId = initialDataset
  }

  /** The candidate chosen, if the queue has one. */
  get current(): SpotCandidate | undefined {
    return this.candidates[this.selected]
  }

  /** The absolute number of the frame under the playhead, or null before frames load. */
  get frameNumber(): number | null {
    return this.detail?.frames[this.index]?.number ?? null
  }

  /** The decoded frame under the playhead, if ready. */
  get bitmap(): ImageBitmap | undefined {
    void this.arrivals
    return this.store?.get(this.index)
  }

  /** Loads the datasets (choosing the first when none is chosen) and the coder's queue. */
  async loadDatasets(): Promise<void> {
    try {
      this.datasets = await engine['datasets.list']({})
      if (this.datasetId === null) this.datasetId = this.datasets[0]?.id ?? null
      await this.loadQueue()
    } catch (error) {
      this.error = describeError(error)
    }
  }

  /** Shows another dataset's queue. */
  async selectDataset(id: number): Promise<void> {
    if (id === this.datasetId && this.candidates.length > 0) return
    this.datasetId = id
    this.selected = 0
    await this.loadQueue()
  }

  /** Reads the coder's queue of the dataset; keeps the chosen candidate when it is still there. */
  async loadQueue(): Promise<void> {
    const coderId = this.coders.currentId
    if (this.datasetId === null || coderId === null) return
    try {
      const keep = this.current?.clipId
      this.candidates = await engine['spotting.candidates']({
        coderId,
        datasetId: this.datasetId,
      })
      const kept = this.candidates.findIndex((c) => c.clipId === keep)
      await this.select(kept >= 0 ? kept : nextPending(this.candidates, 0))
      this.error = null
    } catch (error) {
      this.error = describeError(error)
    }
  }

  /** Chooses a candidate and puts the playhead on its apex. */
  async select(index: number): Promise<void> {
    if (this.candidates.length === 0) {
      this.detail = null
      return
    }
    this.selected = Math.max(0, Math.min(this.candidates.length - 1, index))
    await this.loadDetail()
    const apex = this.current ? workingFrames(this.current).apex : null
    const at = this.detail?.frames.findIndex((f) => f.number === apex) ?? -1
    this.goTo(at >= 0 ? at : 0)
  }

  /** Moves to the next or previous candidate. */
  step(by: 1 | -1): Promise<void> {
    return this.select(this.selected + by)
  }

  /** Moves the playhead to a frame index of the candidate (clamped). */
  goTo(index: number): void {
    const last = (this.detail?.frames.length ?? 1) - 1
    this.index = Math.max(0, Math.min(last, Math.round(index)))
    this.store?.focus(this.index)
  }

  /** Accepts, rejects or takes back the decision on the chosen candidate. */
  async decide(status: SpotDecisionStatus): Promise<void> {
    const c = this.current
    const coderId = this.coders.currentId
    if (!c || coderId === null) return
    await this.write(() => engine['spotting.decide']({ clipId: c.clipId, coderId, status }))
  }

  /** Puts the coder's onset, apex or offset of the chosen candidate at the playhead. */
  async mark(marker: MarkerName): Promise<void> {
    const c = this.current
    const coderId = this.coders.currentId
    const frame = this.frameNumber
    if (!c || coderId === null || frame === null) return
    await this.write(() =>
      engine['spotting.adjust']({ clipId: c.clipId, coderId, [marker]: frame }),
    )
  }

  private async write(call: () => Promise<SpotCandidate>): Promise<void> {
    const at = this.selected
    try {
      const updated = await call()
      this.candidates[at] = updated
      this.error = null
    } catch (error) {
      this.error = describeError(error)
    }
  }

  /** Reads the chosen candidate's frames; starts caching them when the cache lacks some. */
  private async loadDetail(): Promise<void> {
    const c = this.current
    if (!c) return
    const stillWanted = this.detailRequest.begin()
    const detail = await engine['clips.get']({ id: c.clipId })
    if (!stillWanted()) return
    this.store?.dispose()
    this.detail = detail
    this.store = new FrameStore(
      detail.frames.map((f) => (f.key === null ? null : frameUrl(f.key))),
      detail.clip,
      () => (this.arrivals += 1),
    )
    this.goTo(this.index)
    if (detail.frames.some((f) => f.key === null) && !this.cacheJob.active) {
      await this.cacheJob.start(() => engine['clips.cacheFrames']({ clipIds: [c.clipId] }))
    }
  }

  /** Opens a clip in the viewer (set by the screen, which owns the router). */
  onOpen: (clipId: number) => void = () => {}

  /**
   * The screen's keydown listener, run in the capture phase like the viewer's: a key the
   * key map knows runs its action before any focused control sees it; only fields that take
   * typed text keep every key.
   */
  handleKey(event: KeyboardEvent): void {
    if (event.defaultPrevented || takesTyping(event.target)) return
    const action = spotAction(event)
    if (!action) return
    event.preventDefault()
    if (event.repeat && action.type !== 'step') return
    void this.run(action)
  }

  private async run(action: SpotAction): Promise<void> {
    switch (action.type) {
      case 'candidate':
        return this.step(action.step)
      case 'decide':
        return this.decide(action.status)
      case 'step':
        return this.goTo(this.index + action.frames)
      case 'first':
        return this.goTo(0)
      case 'last':
        return this.goTo(Number.MAX_SAFE_INTEGER)
      case 'mark':
        return this.mark(action.marker)
      case 'open':
        if (this.current) this.onOpen(this.current.clipId)
    }
  }

  /** Releases the decoded frames and the job subscription. */
  dispose(): void {
    this.store?.dispose()
    this.cacheJob.dispose()
  }
}
