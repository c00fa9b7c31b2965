import type { Coder, CoderKind } from '../../../shared/coding'
import { describeError } from './errors'
import { engine } from './engine'
import { OKABE_ITO } from './palette'

/** The colours coders get, in order (colour-blind safe on the dark theme). */
export const CODER_COLOURS = OKABE_ITO

const STORAGE_KEY = 'microau.coderId'

/**
 * Who is coding, and every coder the library knows. The choice survives a reload (it is
 * kept in the page's local storage).
 */
export class CodersState {
  coders: Coder[] = $state([])
  currentId: number | null = $state(readStoredId())
  error: string | null = $state(null)

  /** The coder whose codes the viewer edits, if one is chosen and still exists. */
  get current(): Coder | undefined {
    return this.coders.find((c) => c.id === this.currentId)
  }

  /** Coders who may edit codes: people and adjudicated layers (sheets are read-only). */
  get editable(): Coder[] {
    return this.coders.filter((c) => c.kind !== 'import')
  }

  /** Reloads the list; picks the first person when no valid coder is chosen. */
  async refresh(): Promise<void> {
    try {
      this.coders = await engine['coders.list']({})
      if (!this.current) this.choose(this.editable[0]?.id ?? null)
      this.error = null
    } catch (error) {
      this.error = describeError(error)
    }
  }

  /** Codes as this coder from now on. */
  choose(id: number | null): void {
    this.currentId = id
    if (id === null) localStorage.removeItem(STORAGE_KEY)
    else localStorage.setItem(STORAGE_KEY, String(id))
  }

  /** Adds a coder and codes as them; true on success. */
  async create(name: string, kind: Exclude<CoderKind, 'import'>): Promise<boolean> {
    try {
      const coder = await engine['coders.create']({ name, kind })
      this.coders = await engine['coders.list']({})
      this.choose(coder.id)
      this.error = null
      return true
    } catch (error) {
      this.error = describeError(error)
      return false
    }
  }

  /** A coder's name (or '#id' for one not loaded). */
  name(id: number): string {
    return this.coders.find((c) => c.id === id)?.name ?? `#${id}`
  }

  /** A coder's colour: fixed by creation order, so it is the same on every screen. */
  colour(id: number): string {
    const index = [...this.coders].sort((a, b) => a.id - b.id).findIndex((c) => c.id === id)
    return CODER_COLOURS[Math.max(index, 0) % CODER_COLOURS.length]
  }
}

function readStoredId(): number | null {
  const id = Number(localStorage.getItem(STORAGE_KEY))
  return Number.isSafeInteger(id) && id > 0 ? id : null
}

/** The app's one coder choice. */
export const coders = new CodersState()
