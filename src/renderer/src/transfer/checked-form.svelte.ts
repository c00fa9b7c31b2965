/** A form's check: the request to send, or what is wrong with it, field by field. */
export type FormCheck<Request, Field extends string> =
  { ok: true; request: Request } | { ok: false; errors: Partial<Record<Field, string>> }

/**
 * A form checked as it is typed, whose field messages show only from the first Start on:
 * nobody is told off for a field they have not reached yet.
 */
export class CheckedForm<Request, Field extends string> {
  /** Set by the first Start: from then on each field's message follows what is typed. */
  tried = $state(false)
  readonly checked: FormCheck<Request, Field>
  /** The messages to show now, by field. */
  readonly errors: Partial<Record<Field, string>>

  constructor(check: () => FormCheck<Request, Field>) {
    this.checked = $derived(check())
    this.errors = $derived(this.tried && !this.checked.ok ? this.checked.errors : {})
  }

  /** Start pressed: the messages show from now on; the request, or null while one is wrong. */
  start(): Request | null {
    this.tried = true
    return this.checked.ok ? this.checked.request : null
  }
}
