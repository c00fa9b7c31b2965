import type { AuCode, ClipDetail, ClipFrame, CoderCodes } from '../../../shared/coding'
import { auOfKey, keyOfSlot, type AuKeyEntry, type AuSide } from '../../../shared/facs'
import type { ReliabilityReport } from '../../../shared/reliability'
import {
  DEFAULT_MAGNIFY_SETTINGS,
  type ApexCurve,
  type MagnifiedFrames,
  type MagnifyJobResult,
  type MagnifySettings,
  type PassBand,
} from '../../../shared/signal'
import type { CodersState } from '../lib/coders.svelte'
import { describeError } from '../lib/errors'
import { engine } from '../lib/engine'
import { frameUrl } from '../lib/frame-url'
import { JobTracker } from '../lib/job-tracker.svelte'
import { FrameStore } from './frame-store'
import { viewerAction, type MarkerName, type ViewerAction } from './key-map'
import { refusedMessage, savedMessage, type TypedEntryMessage } from './typed-entry'
import { magnifiedUrls, timelineCurveOf, type TimelineCurve } from './signal-frames'
import { VIEW_MODES, type ViewMode } from './stage-painter'
import { ZOOM_REGIONS, zoomBox, type Box, type ZoomRegion } from './zoom-regions'

/** Playback speeds as fractions of the recording's frame rate (1/10 of 200 fps = 20 fps). */
export const PLAYBACK_SPEEDS = [1 / 40, 1 / 20, 1 / 10, 1 / 5, 1 / 2, 1] as const

/**
 * The clip viewer's state: the clip and its frames, the playhead, the view, and the codes of
 * every coder, with the coder's edits saved through the engine as they happen.
 */
export class ViewerState {
  detail: ClipDetail | null = $state(null)
  /** What Page Up / Page Down do: open the previous (-1) or next (+1) clip of the list. */
  onClipStep: ((step: 1 | -1) => void) | null = null
  /** Why the clip could not be opened. */
  loadError: string | null = $state(null)
  /** The last edit that failed, in words (cleared by the next success). */
  notice: string | null = $state(null)
  index = $state(0)
  playing = $state(false)
  speed: number = $state(1 / 10)
  mode: ViewMode = $state('raw')
  zoom: ZoomRegion = $state('face')
  gain = $state(8)
  /** Frames decoded and ready to paint. */
  decoded = $state(0)
  codes: CoderCodes[] = $state([])
  /** The dataset's AUs with their number keys (stored per dataset, never shifting). */
  auKeys: AuKeyEntry[] = $state([])
  agreement: ReliabilityReport | null = $state(null)
  /** Puts the clip's frames into the cache when they are not there yet. */
  readonly cacheJob: JobTracker
  /** Magnification settings of the magnified view. */
  magnifySettings: MagnifySettings = $state({ ...DEFAULT_MAGNIFY_SETTINGS })
  /** The cached magnified frames for the settings, once known. */
  magnified: MagnifiedFrames | null = $state(null)
  /** Magnified frames decoded and ready to paint. */
  magnifiedDecoded = $state(0)
  /** Why the magnified view cannot be shown, if it cannot. */
  magnifyProblem: string | null = $state(null)
  /** Magnifies the clip when the magnified view asks for frames the cache lacks. */
  readonly magnifyJob: JobTracker
  /** The IIR filter's pass band in Hz at the clip's frame rate. */
  passBand: PassBand | null = $state(null)
  /** The clip's cached apex-spotting curve. */
  apexCurve: ApexCurve | null = $state(null)
  /** Whether the cache was asked for the curve (so "not computed" can be told from "not known"). */
  apexChecked = $state(false)
  /** Computes the apex-spotting curve. */
  readonly apexJob: JobTracker
  /** Bumped when a frame the stage waits for has been decoded. */
  private arrivals = $state(0)
  private store: FrameStore | null = null
  private magnifiedStore: FrameStore | null = null
  private playHandle = 0
  private agreementTimer: ReturnType<typeof setTimeout> | undefined
  private edits: Promise<void> = Promise.resolve()

  constructor(
    readonly clipId: number,
    private readonly coders: CodersState,
  ) {
    this.cacheJob = new JobTracker('Preparing the frames', () => void this.load())
    this.magnifyJob = new JobTracker('Magnifying the clip', (job) => {
      const done = (job.result as MagnifyJobResult | null)?.settings
      // Settings changed while the job ran: start over for the new ones.
      void this.showMagnified(sameSettings(done, this.magnifySettings))
    })
    this.apexJob = new JobTracker('Spotting the apex', () => void this.loadApexCurve())
  }

  /** The clip's frames in order. */
  get frames(): ClipFrame[] {
    return this.detail?.frames ?? []
  }

  /** The absolute number of the frame under the playhead. */
  get frameNumber(): number {
    return this.frames[this.index]?.number ?? 0
  }

  /** The codes of the coder who is coding. */
  get mine(): CoderCodes | undefined {
    return this.codes.find((c) => c.coderId === this.coders.currentId)
  }

  /** Index of the frame the difference and side-by-side views compare with: the onset. */
  get referenceIndex(): number {
    const onset = this.mine?.markers?.onset
    const index = onset == null ? -1 : this.indexOf(onset)
    return index < 0 ? 0 : index
  }

  /** The zoom box in frame pixels (of the magnified frame, which may be the face crop). */
  get box(): Box {
    const clip = this.detail?.clip
    const size =
      this.mode === 'magnified' && this.currentBitmap
        ? this.currentBitmap
        : { width: clip?.width ?? 1, height: clip?.height ?? 1 }
    return zoomBox(this.zoom, { width: size.width, height: size.height })
  }

  /** The decoded bitmap under the playhead (the magnified one in that view), if ready. */
  get currentBitmap(): ImageBitmap | undefined {
    void this.arrivals
    return this.activeStore?.get(this.index)
  }

  /** The apex-spotting curve by frame index, for the timeline. */
  get timelineCurve(): TimelineCurve | null {
    const numbers = this.frames.map((f) => f.number)
    return this.apexCurve ? timelineCurveOf(numbers, this.apexCurve) : null
  }

  /** The decoded reference (onset) bitmap, if ready (asking for it when it is not). */
  get referenceBitmap(): ImageBitmap | undefined {
    void this.arrivals
    const bitmap = this.store?.get(this.referenceIndex)
    // The reference changes with the coder and their onset: keep whichever is current decoded.
    if (!bitmap) this.store?.pin([this.referenceIndex])
    return bitmap
  }

  /** Why the frame under the playhead cannot be shown, if it cannot. */
  get frameProblem(): string | null {
    void this.arrivals
    if (this.frames[this.index]?.key === null) return null
    const failure = this.activeStore?.failure(this.index)
    return failure ? `Frame ${this.frameNumber}: ${failure}.` : null
  }

  /** Every frame of the clip is in the frame cache. */
  get cached(): boolean {
    return this.frames.length > 0 && this.frames.every((f) => f.key !== null)
  }

  /** Opens the clip: frames, codes, agreement; starts caching frames the cache lacks. */
  async load(): Promise<void> {
    try {
      const detail = await engine['clips.get']({ id: this.clipId })
      this.store?.dispose()
      this.detail = detail
      this.codes = detail.codes
      this.index = Math.min(this.index, Math.max(0, detail.frames.length - 1))
      this.decoded = 0
      this.store = new FrameStore(
        detail.frames.map((f) => (f.key === null ? null : frameUrl(f.key))),
        detail.clip,
        (index) => this.frameArrived(index),
      )
      this.store.focus(this.index)
      this.loadError = null
      void this.loadAuKeys()
      void this.loadPassBand()
      void this.loadApexCurve()
      if (this.mode === 'magnified') void this.showMagnified()
      if (!this.cached) await this.prepareFrames()
      this.scheduleAgreement()
    } catch (error) {
      this.loadError = describeError(error)
    }
  }

  /** Starts the job that puts the clip's missing frames into the frame cache. */
  prepareFrames(): Promise<void> {
    return this.cacheJob.start(() => engine['clips.cacheFrames']({ clipIds: [this.clipId] }))
  }

  /** Moves the playhead to a frame index (clamped to the clip). */
  goTo(index: number): void {
    const last = this.frames.length - 1
    this.index = Math.max(0, Math.min(last, Math.round(index)))
    this.store?.focus(this.index)
    this.magnifiedStore?.focus(this.index)
  }

  /** Switches the view; the magnified view magnifies the clip first when it is not cached. */
  setMode(mode: ViewMode): void {
    this.mode = mode
    if (mode === 'magnified') void this.showMagnified()
  }

  /** Changes magnification settings; the magnified view follows them. */
  setMagnifySettings(change: Partial<MagnifySettings>): void {
    this.magnifySettings = { ...this.magnifySettings, ...change }
    if (change.r1 !== undefined || change.r2 !== undefined) void this.loadPassBand()
    if (this.mode === 'magnified') void this.showMagnified()
  }

  /**
   * Shows the magnified frames for the current settings: from the cache when every frame is
   * there, otherwise after a magnification job (unless `afterJob`: the job just ran).
   */
  async showMagnified(afterJob = false): Promise<void> {
    const settings = { ...this.magnifySettings }
    try {
      const found = await engine['signal.magnified']({ clipId: this.clipId, params: settings })
      if (!sameSettings(settings, this.magnifySettings)) return
      this.magnifyProblem = null
      if (found) this.useMagnified(found)
      else if (afterJob) this.magnifyProblem = 'Some frames of this clip could not be magnified.'
      else {
        this.useMagnified(null)
        await this.magnifyJob.start(() =>
          engine['signal.magnify']({ clipId: this.clipId, ...settings }),
        )
      }
    } catch (error) {
      this.magnifyProblem = describeError(error)
    }
  }

  /** Starts the job that computes the apex-spotting curve. */
  spotApex(): Promise<void> {
    return this.apexJob.start(() => engine['signal.apex']({ clipId: this.clipId }))
  }

  /** Goes to the suggested apex, or computes the curve first when there is none. */
  suggestedApex(): Promise<void> | void {
    const apex = this.apexCurve?.apexFrame
    if (apex === undefined) return this.spotApex()
    const index = this.indexOf(apex)
    if (index >= 0) this.goTo(index)
  }

  /** Steps the playhead by a number of frames. */
  step(frames: number): void {
    this.goTo(this.index + frames)
  }

  /** Plays from the playhead at the chosen speed, or pauses. */
  togglePlay(): void {
    if (this.playing) {
      this.stopPlaying()
      return
    }
    if (this.index >= this.frames.length - 1) this.goTo(0)
    this.playing = true
    const fps = this.detail?.clip.fps ?? 200
    let last = performance.now()
    let owed = 0
    const tick = (now: number) => {
      if (!this.playing) return
      owed = Math.min(owed + ((now - last) * fps * this.speed) / 1000, 8)
      last = now
      let next = this.index
      // Frame-exact: never skip past a frame that is not decoded yet.
      while (owed >= 1 && next < this.frames.length - 1 && this.activeStore?.get(next + 1)) {
        next++
        owed--
      }
      if (next !== this.index) this.goTo(next)
      if (this.index >= this.frames.length - 1) this.stopPlaying()
      else this.playHandle = requestAnimationFrame(tick)
    }
    this.playHandle = requestAnimationFrame(tick)
  }

  /** Sets one of the coder's markers at the playhead. */
  mark(marker: MarkerName): Promise<void> {
    const frame = this.frameNumber
    return this.edit((ids) => engine['markers.set']({ ...ids, [marker]: frame }))
  }

  /** Clears one of the coder's markers. */
  clear(marker: MarkerName): Promise<void> {
    return this.edit((ids) => engine['markers.set']({ ...ids, [marker]: null }))
  }

  /** Scores an AU on both sides, or removes it. */
  toggleAu(au: number): Promise<void> {
    return this.edit((ids) => engine['labels.toggle']({ ...ids, au }))
  }

  /**
   * Changes the side or intensity of one of the coder's labels of an AU (`occurrence`: the
   * first, second… label of that AU). The label is looked up when the edit runs, after the
   * edits before it, so quick successive changes build on each other.
   */
  changeLabel(
    au: number,
    occurrence: number,
    change: Partial<Pick<AuCode, 'side' | 'intensity'>>,
  ): Promise<void> {
    return this.edit((ids) => {
      const label = this.mine?.labels.filter((l) => l.au === au)[occurrence]
      if (!label) return Promise.reject(new Error(`AU${au} is no longer scored.`))
      return engine['labels.set']({ ...ids, ...label, ...change, fromSide: label.side })
    })
  }

  /** Removes a label. */
  removeLabel(au: number, side: AuSide | null): Promise<void> {
    return this.edit((ids) => engine['labels.remove']({ ...ids, au, side }))
  }

  /**
   * Scores the AUs typed in sheet notation ('1+2+R12B'), all of them or none (the engine
   * refuses an entry with a bad token whole). Answers what was saved, or why nothing was.
   */
  async addTyped(text: string): Promise<TypedEntryMessage> {
    let message = refusedMessage('choose who is coding first (Coding as, at the top).')
    await this.edit(async (ids) => {
      try {
        const result = await engine['labels.setTyped']({ ...ids, text })
        message = savedMessage(result)
        return result.codes
      } catch (error) {
        message = refusedMessage(describeError(error))
        return null
      }
    })
    return message
  }

  /** Binds a number key to an AU of the dataset (null: the AU has no key). */
  async setAuKey(au: number, key: number | null): Promise<void> {
    const datasetId = this.detail?.clip.datasetId
    if (datasetId === undefined) return
    try {
      this.auKeys = (await engine['auKeys.set']({ datasetId, au, key })).entries
    } catch (error) {
      this.notice = describeError(error)
    }
  }

  /** Undoes the coder's last change on this clip. */
  undo(): Promise<void> {
    return this.edit((ids) => engine['history.undo'](ids))
  }

  /** Redoes the change the coder undid last. */
  redo(): Promise<void> {
    return this.edit((ids) => engine['history.redo'](ids))
  }

  /** Next view mode (raw → difference → side by side; from the magnified view, raw). */
  nextView(): void {
    const index = (VIEW_MODES as readonly ViewMode[]).indexOf(this.mode)
    this.mode = VIEW_MODES[(index + 1) % VIEW_MODES.length]
  }

  /** Next zoom region (face → brows → eyes → mouth). */
  nextZoom(): void {
    this.zoom = ZOOM_REGIONS[(ZOOM_REGIONS.indexOf(this.zoom) + 1) % ZOOM_REGIONS.length]
  }

  /**
   * The viewer's keyboard, listened to on the window in the capture phase, so it runs before
   * the focused control: a coding key goes to the viewer (and its default is prevented, so a
   * select never takes an arrow or a letter, a button never takes Space) unless the coder is
   * typing in a text field, which keeps every key.
   */
  handleKey(event: KeyboardEvent): void {
    if (event.defaultPrevented || takesTyping(event.target)) return
    const action = viewerAction(event)
    if (!action) return
    event.preventDefault()
    // Holding an arrow key scrubs; holding any other key must not repeat its edit.
    if (event.repeat && action.type !== 'step') return
    void this.run(action)
  }

  /** Stops playback and releases the decoded frames and listeners. */
  dispose(): void {
    this.stopPlaying()
    clearTimeout(this.agreementTimer)
    this.store?.dispose()
    this.store = null
    this.magnifiedStore?.dispose()
    this.magnifiedStore = null
    this.cacheJob.dispose()
    this.magnifyJob.dispose()
    this.apexJob.dispose()
  }

  private async run(action: ViewerAction): Promise<void> {
    switch (action.type) {
      case 'step':
        return this.step(action.frames)
      case 'first':
        return this.goTo(0)
      case 'last':
        return this.goTo(this.frames.length - 1)
      case 'play':
        return this.togglePlay()
      case 'mark':
        return this.mark(action.marker)
      case 'clear':
        return this.clear(action.marker)
      case 'toggleAu': {
        const key = keyOfSlot(action.slot)
        const au = key === undefined ? undefined : auOfKey(this.auKeys, key)
        return au === undefined ? undefined : this.toggleAu(au)
      }
      case 'nextView':
        return this.nextView()
      case 'nextZoom':
        return this.nextZoom()
      case 'magnified':
        return this.setMode(this.mode === 'magnified' ? 'raw' : 'magnified')
      case 'suggestedApex':
        return this.suggestedApex()
      case 'undo':
        return this.undo()
      case 'redo':
        return this.redo()
      case 'clip':
        return this.onClipStep?.(action.step)
    }
  }

  /**
   * Queues one edit as the chosen coder: edits run one after another, each on the codes the
   * one before it answered.
   */
  private edit(
    call: (ids: { clipId: number; coderId: number }) => Promise<CoderCodes | null>,
  ): Promise<void> {
    this.edits = this.edits.then(() => this.runEdit(call))
    return this.edits
  }

  /** Runs one queued edit; a call answering null changed nothing (and said why itself). */
  private async runEdit(
    call: (ids: { clipId: number; coderId: number }) => Promise<CoderCodes | null>,
  ): Promise<void> {
    const coderId = this.coders.currentId
    if (coderId === null || !this.coders.current) {
      this.notice = 'Choose who is coding first (Coding as, at the top).'
      return
    }
    try {
      const codes = await call({ clipId: this.clipId, coderId })
      if (codes === null) return
      const others = this.codes.filter((c) => c.coderId !== codes.coderId)
      this.codes = [...others, codes].sort((a, b) => a.coderId - b.coderId)
      this.notice = null
      this.scheduleAgreement()
      // An AU new to the dataset takes the next free key: read the map again.
      if (codes.labels.some((l) => !this.auKeys.some((e) => e.au === l.au))) void this.loadAuKeys()
    } catch (error) {
      this.notice = describeError(error)
    }
  }

  private scheduleAgreement(): void {
    clearTimeout(this.agreementTimer)
    this.agreementTimer = setTimeout(() => void this.loadAgreement(), 250)
  }

  private async loadAgreement(): Promise<void> {
    try {
      this.agreement = await engine['reliability.clip']({ clipId: this.clipId })
    } catch (error) {
      this.notice = describeError(error)
    }
  }

  /** The frames the stage shows now: the magnified ones in the magnified view. */
  private get activeStore(): FrameStore | null {
    return this.mode === 'magnified' ? this.magnifiedStore : this.store
  }

  /** Decodes the magnified frames ahead of the playhead, like the raw ones. */
  private useMagnified(found: MagnifiedFrames | null): void {
    if (found && this.magnified?.paramsKey === found.paramsKey && this.magnifiedStore) return
    this.magnifiedStore?.dispose()
    this.magnifiedStore = null
    this.magnified = found
    this.magnifiedDecoded = 0
    if (!found || !this.detail) return
    this.magnifiedStore = new FrameStore(
      magnifiedUrls(
        this.frames.map((f) => f.number),
        found,
        frameUrl,
      ),
      this.detail.clip,
      (index) => {
        this.magnifiedDecoded = this.magnifiedStore?.decoded ?? 0
        if (index === this.index && this.mode === 'magnified') this.arrivals++
      },
    )
    this.magnifiedStore.focus(this.index)
    this.arrivals++
  }

  private async loadAuKeys(): Promise<void> {
    const datasetId = this.detail?.clip.datasetId
    if (datasetId === undefined) return
    try {
      this.auKeys = (await engine['auKeys.get']({ datasetId })).entries
    } catch (error) {
      this.notice = describeError(error)
    }
  }

  private async loadPassBand(): Promise<void> {
    const fps = this.detail?.clip.fps
    if (fps === undefined) return
    const { r1, r2 } = this.magnifySettings
    try {
      const band = await engine['signal.passBand']({ fps, r1, r2 })
      if (band.r1 === this.magnifySettings.r1 && band.r2 === this.magnifySettings.r2) {
        this.passBand = band
      }
    } catch (error) {
      this.passBand = null
      this.magnifyProblem = describeError(error)
    }
  }

  private async loadApexCurve(): Promise<void> {
    try {
      this.apexCurve = await engine['signal.apexCurve']({ clipId: this.clipId })
      this.apexChecked = true
    } catch (error) {
      this.notice = describeError(error)
    }
  }

  private frameArrived(index: number): void {
    this.decoded = this.store?.decoded ?? 0
    if (index === this.index || index === this.referenceIndex) this.arrivals++
  }

  private stopPlaying(): void {
    this.playing = false
    cancelAnimationFrame(this.playHandle)
  }

  private indexOf(frameNumber: number): number {
    return this.frames.findIndex((f) => f.number === frameNumber)
  }
}

/** Whether two magnification settings are the same (a missing one never is). */
function sameSettings(a: MagnifySettings | undefined, b: MagnifySettings): boolean {
  return (
    a !== undefined &&
    a.alpha === b.alpha &&
    a.lambdaC === b.lambdaC &&
    a.r1 === b.r1 &&
    a.r2 === b.r2 &&
    a.chromAttenuation === b.chromAttenuation
  )
}

/** Input types that hold no typed text: their keys are the viewer's like any control's. */
const KEYLESS_INPUTS = new Set(['range', 'checkbox', 'radio', 'button', 'submit', 'reset', 'color'])

/** Whether the element takes typed text (text fields, number fields, editable content). */
export function takesTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true
  return target instanceof HTMLInputElement && !KEYLESS_INPUTS.has(target.type)
}
