import { describe, expect, it } from 'vitest'
import { REVIEW_KEYS, reviewAction } from '../../../src/renderer/src/review/review-keys'

const press = (
  key: string,
  mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {},
) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
})

describe('reviewAction', () => {
  it('maps the queue keys', () => {
    expect(reviewAction(press('j'))).toBe('next')
    expect(reviewAction(press('n'))).toBe('next')
    expect(reviewAction(press('k'))).toBe('previous')
    expect(reviewAction(press('p'))).toBe('previous')
    expect(reviewAction(press('a'))).toBe('accept')
    expect(reviewAction(press('s'))).toBe('skip')
    expect(reviewAction(press('g'))).toBe('explain')
    expect(reviewAction(press('o'))).toBe('open')
  })
  it('leaves other keys and modified ones alone', () => {
    expect(reviewAction(press('x'))).toBeNull()
    expect(reviewAction(press('A'))).toBeNull()
    expect(reviewAction(press('a', { ctrlKey: true }))).toBeNull()
    expect(reviewAction(press('j', { metaKey: true }))).toBeNull()
    expect(reviewAction(press('j', { altKey: true }))).toBeNull()
  })
  it('has a legend line for every key it knows', () => {
    const legend = REVIEW_KEYS.flatMap(([keys]) => keys.split(' / '))
    for (const key of legend) expect(reviewAction(press(key))).not.toBeNull()
    expect(legend).toHaveLength(8)
  })
})
