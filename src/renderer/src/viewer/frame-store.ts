/** Memory the decoded frames of one clip may take (RGBA bitmaps). */
const DEFAULT_BUDGET_BYTES = 384 * 1024 * 1024
/** Images decoded at the same time. */
const DEFAULT_CONCURRENCY = 4

/**
 * Decodes a clip's frames ahead of the playhead into ImageBitmaps, so stepping paints from
 * memory and never waits on the network or a decoder. Frames nearest the focus come first,
 * two ahead for every one behind (coders mostly step forward); frames outside the window the
 * memory budget allows are released, except pinned ones (the onset, for the difference
 * view). Plain TypeScript: the viewer's state class owns one per open clip.
 */
export class FrameStore {
  private readonly bitmaps = new Map<number, ImageBitmap>()
  private readonly loading = new Set<number>()
  private readonly failed = new Map<number, string>()
  private readonly pinned = new Set<number>()
  private focusIndex = 0
  private disposed = false
  private readonly concurrency: number
  /** How many frames fit in the memory budget. */
  readonly capacity: number

  constructor(
    /** The URL of each frame by index, or null while it is not cached. */
    private readonly urls: readonly (string | null)[],
    frameSize: { width: number; height: number },
    /** Called when a frame is decoded (or fails: `error` says why). */
    private readonly onSettled: (index: number, error?: string) => void,
    options: { budgetBytes?: number; concurrency?: number } = {},
  ) {
    const bytes = Math.max(1, frameSize.width * frameSize.height * 4)
    this.capacity = Math.max(8, Math.floor((options.budgetBytes ?? DEFAULT_BUDGET_BYTES) / bytes))
    this.concurrency = options.concurrency ?? DEFAULT_CONCURRENCY
  }

  /** The decoded frame at `index`, if it is ready. */
  get(index: number): ImageBitmap | undefined {
    return this.bitmaps.get(index)
  }

  /** Number of frames decoded and held now. */
  get decoded(): number {
    return this.bitmaps.size
  }

  /** Why the frame at `index` could not be decoded, if it could not. */
  failure(index: number): string | undefined {
    return this.failed.get(index)
  }

  /** Moves the decode window around `index` and starts what is missing. */
  focus(index: number): void {
    this.focusIndex = index
    const keep = new Set(this.order())
    for (const [i, bitmap] of this.bitmaps) {
      if (!keep.has(i) && !this.pinned.has(i)) {
        bitmap.close()
        this.bitmaps.delete(i)
      }
    }
    this.pump()
  }

  /** Keeps these frames decoded whatever the focus (the onset of the difference view). */
  pin(indexes: readonly number[]): void {
    this.pinned.clear()
    for (const index of indexes) if (index >= 0 && index < this.urls.length) this.pinned.add(index)
    this.pump()
  }

  /** Releases every bitmap; the store cannot be used afterwards. */
  dispose(): void {
    this.disposed = true
    for (const bitmap of this.bitmaps.values()) bitmap.close()
    this.bitmaps.clear()
  }

  /** Frame indexes of the window in the order they should be decoded. */
  private order(): number[] {
    const count = this.urls.length
    const out: number[] = []
    let ahead = this.focusIndex
    let behind = this.focusIndex - 1
    while (out.length < Math.min(this.capacity, count)) {
      for (let k = 0; k < 2 && ahead < count; k++) out.push(ahead++)
      if (behind >= 0) out.push(behind--)
      if (ahead >= count && behind < 0) break
    }
    return out.slice(0, this.capacity)
  }

  private pump(): void {
    if (this.disposed) return
    const wanted = [...this.pinned, ...this.order()]
    for (const index of wanted) {
      if (this.loading.size >= this.concurrency) return
      if (this.bitmaps.has(index) || this.loading.has(index) || this.failed.has(index)) continue
      const url = this.urls[index]
      if (url !== null) void this.load(index, url)
    }
  }

  private async load(index: number, url: string): Promise<void> {
    this.loading.add(index)
    try {
      const image = new Image()
      image.decoding = 'async'
      image.src = url
      await image.decode()
      const bitmap = await createImageBitmap(image)
      if (this.disposed) bitmap.close()
      else {
        this.bitmaps.set(index, bitmap)
        this.onSettled(index)
      }
    } catch {
      const reason = 'the frame image could not be loaded from the frame cache'
      this.failed.set(index, reason)
      if (!this.disposed) this.onSettled(index, reason)
    } finally {
      this.loading.delete(index)
      this.pump()
    }
  }
}
