import type { TypedLabelsSaved } from '../../../shared/coding'

/** What the AU panel says under the typed field after an entry: saved, or why not. */
export interface TypedEntryMessage {
  saved: boolean
  lines: string[]
}

/** The message of an entry the engine saved whole: every AU it saved, then its notes. */
export function savedMessage(result: TypedLabelsSaved): TypedEntryMessage {
  const count = result.saved.length
  const what = `${count} AU${count === 1 ? '' : 's'}: ${result.saved.join(', ')}`
  return { saved: true, lines: [`Saved ${what}.`, ...result.notes] }
}

/** The message of an entry the engine refused (its error says that nothing was saved). */
export function refusedMessage(reason: string): TypedEntryMessage {
  const said = /^nothing was saved/i.test(reason)
  return { saved: false, lines: [said ? reason : `Nothing was saved: ${reason}`] }
}
