import { describe, expect, it } from 'vitest'
import {
  eventEnvelope,
  planLongRecording,
  type LongEvent,
} from '../../../src/engine/datasets/synthetic/long-plan'

const options = { seed: 3, seconds: 60, fps: 200, width: 640, height: 480 }

describe('planLongRecording', () => {
  it('plans lab-like counts of micro- and macro-expressions and blinks', () => {
    const plan = planLongRecording(options)
    const count = (kind: string) => plan.events.filter((e) => e.kind === kind).length
    expect([count('micro'), count('macro'), count('blink')]).toEqual([12, 4, 15])
    expect(plan.frames).toBe(12_000)
  })

  it('keeps micro-expressions at or under half a second and blinks without AUs', () => {
    for (const fps of [30, 200]) {
      const { events } = planLongRecording({ ...options, fps })
      for (const e of events.filter((x) => x.kind === 'micro')) {
        expect((e.offset - e.onset + 1) / fps).toBeLessThanOrEqual(0.5 + 1 / fps)
        expect(e.aus.length).toBeGreaterThan(0)
      }
      for (const e of events.filter((x) => x.kind === 'blink')) expect(e.aus).toEqual([])
      for (const e of events.filter((x) => x.kind === 'macro')) {
        expect((e.offset - e.onset + 1) / fps).toBeGreaterThanOrEqual(1 - 1 / fps)
      }
    }
  })

  it('leaves neutral face between events and inside the recording', () => {
    const { events, frames } = planLongRecording(options)
    const gap = 0.8 * 200
    expect(events[0].onset).toBeGreaterThanOrEqual(gap)
    for (let i = 1; i < events.length; i++) {
      expect(events[i].onset - events[i - 1].offset).toBeGreaterThan(gap)
    }
    expect(events[events.length - 1].offset).toBeLessThan(frames)
    for (const e of events) expect(e.onset < e.apex && e.apex <= e.release).toBe(true)
  })

  it('is the same for the same seed and differs for another', () => {
    expect(planLongRecording(options)).toEqual(planLongRecording(options))
    expect(planLongRecording({ ...options, seed: 4 }).events).not.toEqual(
      planLongRecording(options).events,
    )
  })

  it('refuses a recording too short for its events', () => {
    expect(() => planLongRecording({ ...options, seconds: 3, micro: 5 })).toThrow(/too short/)
  })
})

describe('eventEnvelope', () => {
  const event: LongEvent = { kind: 'macro', onset: 10, apex: 20, release: 30, offset: 40, aus: [] }

  it('rises by smoothstep to the apex, holds and falls to the offset', () => {
    expect(eventEnvelope(event, 10)).toBe(0)
    // s = 0.5: 0.25 × (3 − 1) = 0.5
    expect(eventEnvelope(event, 15)).toBe(0.5)
    // s = 0.2: 0.04 × 2.6 = 0.104
    expect(eventEnvelope(event, 12)).toBeCloseTo(0.104)
    expect(eventEnvelope(event, 20)).toBe(1)
    expect(eventEnvelope(event, 30)).toBe(1)
    expect(eventEnvelope(event, 35)).toBe(0.5)
    expect(eventEnvelope(event, 40)).toBe(0)
  })
})
