import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { isFrameKey } from '../../../src/shared/frame-url'
import { frameCacheDir, frameKey, resolveFramePath } from '../../../src/engine/media/frame-cache'

const cache = path.resolve('/srv/microau/library.sqlite.frames')
const key = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

describe('frame cache paths', () => {
  it('puts the cache beside the library', () => {
    expect(frameCacheDir('/srv/microau/library.sqlite')).toBe(
      path.resolve('/srv/microau/library.sqlite.frames'),
    )
  })

  it('keys a PNG by the SHA-256 of its bytes', () => {
    expect(frameKey(new Uint8Array(0))).toBe(key)
    expect(frameKey(Buffer.from('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
  })

  it('resolves a key two levels below the cache', () => {
    expect(resolveFramePath(cache, key)).toBe(path.join(cache, 'e3', `${key}.png`))
  })

  it.each([
    ['a parent-folder path', '../../etc/passwd'],
    ['a parent path padded to 64 characters', `../../../../${'a'.repeat(52)}`],
    ['an absolute path', '/etc/passwd'],
    ['a Windows path', 'C:\\Windows\\system32\\config'],
    ['encoded slashes', `..%2F..%2F${'a'.repeat(54)}`],
    ['encoded backslashes', `..%5c..%5c${'a'.repeat(54)}`],
    ['a key with a slash', `${key.slice(0, 30)}/${key.slice(31)}`],
    ['a key with a trailing newline', `${key}\n`],
    ['a key with a trailing .png', `${key}.png`],
    ['upper-case hex', key.toUpperCase()],
    ['a key one digit short', key.slice(1)],
    ['a key one digit long', `${key}0`],
    ['a NUL byte', `${key.slice(0, 63)}\0`],
    ['non-hex letters', 'g'.repeat(64)],
    ['the empty string', ''],
    ['a dot', '.'],
  ])('refuses %s', (_label, hostile) => {
    expect(isFrameKey(hostile)).toBe(false)
    let error: unknown
    try {
      resolveFramePath(cache, hostile)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('invalid_input')
  })

  it.each([[undefined], [null], [42], [{ toString: () => key }], [[key]]])(
    'refuses the non-string %j',
    (value) => {
      expect(isFrameKey(value)).toBe(false)
      expect(() => resolveFramePath(cache, value)).toThrow(AppError)
    },
  )

  it('never leaves the cache, whatever 64 hex digits it is given', () => {
    for (let i = 0; i < 256; i++) {
      const k = i.toString(16).padStart(2, '0').repeat(32)
      const file = resolveFramePath(cache, k)
      expect(path.relative(cache, file)).toBe(path.join(k.slice(0, 2), `${k}.png`))
    }
  })
})
