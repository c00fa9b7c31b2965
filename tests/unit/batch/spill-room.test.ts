import { describe, expect, it } from 'vitest'
import { spillBytesFor } from '../../../src/engine/batch/crop-spill'
import { spillOwner, spillRoom } from '../../../src/engine/batch/spill-space'

describe('spill room', () => {
  it('needs frames × 3·side² bytes', () => {
    expect(spillBytesFor(1, 1)).toBe(3)
    expect(spillBytesFor(2000, 32)).toBe(2000 * 3072)
    // 60 s at 200 fps of the paper preset's 256-pixel crops: about 2.4 GB.
    expect(spillBytesFor(12_000, 256)).toBe(2_359_296_000)
  })

  it('fits when the bytes needed are at most the bytes free', () => {
    expect(spillRoom(12_000, 256, 3e9)).toEqual({
      needed: 2_359_296_000,
      free: 3e9,
      fits: true,
    })
    expect(spillRoom(12_000, 256, 2e9).fits).toBe(false)
    expect(spillRoom(10, 2, 10 * 12).fits).toBe(true)
    expect(spillRoom(10, 2, 10 * 12 - 1).fits).toBe(false)
    // A recording of unknown length needs nothing known.
    expect(spillRoom(0, 256, 0)).toEqual({ needed: 0, free: 0, fits: true })
  })

  it("reads the owner's process id from a spill folder's name", () => {
    expect(spillOwner('microau-spill-4242-AbC12z')).toBe(4242)
    expect(spillOwner('microau-spill-AbC12z')).toBeNull()
    expect(spillOwner('microau-spill-12x-AbC12z')).toBeNull()
    expect(spillOwner('other-4242-AbC12z')).toBeNull()
  })
})
