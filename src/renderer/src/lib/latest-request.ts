/**
 * Numbers the requests of one kind so only the newest one's answer is used: an older answer
 * that arrives late (the user switched dataset or model meanwhile) is dropped instead of
 * overwriting the newer choice.
 */
export class LatestRequest {
  private count = 0

  /** Starts a request; the check it returns stays true until a newer request starts. */
  begin(): () => boolean {
    const mine = ++this.count
    return () => mine === this.count
  }
}
