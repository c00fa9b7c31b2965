import { describe, expect, it } from 'vitest'
import { LatestRequest } from '../../../src/renderer/src/lib/latest-request'

describe('LatestRequest', () => {
  it('keeps only the newest request current', () => {
    const requests = new LatestRequest()
    const first = requests.begin()
    expect(first()).toBe(true)
    const second = requests.begin()
    // The first answer arriving after the second request started is stale, even if it
    // arrives last.
    expect(first()).toBe(false)
    expect(second()).toBe(true)
  })
  it('keeps separate counters apart', () => {
    const a = new LatestRequest()
    const b = new LatestRequest()
    const fromA = a.begin()
    b.begin()
    expect(fromA()).toBe(true)
  })
})
