import { beforeAll, describe, expect, it } from 'vitest'
import { tf } from '../../../src/engine/ml/tf'
import { FACE_API_PREPROCESSING, VGGFACE_PREPROCESSING } from '../../../src/engine/ml/model/config'
import { preprocessInPlace, preprocessPixels } from '../../../src/engine/ml/model/preprocess'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('preprocessInPlace', () => {
  it('reverses RGB to BGR and subtracts the BGR means (worked values)', () => {
    const out = preprocessInPlace(
      Float32Array.from([10, 20, 30, 255, 0, 128]),
      VGGFACE_PREPROCESSING,
    )
    const expected = [
      30 - 91.4953,
      20 - 103.8827,
      10 - 131.0912,
      128 - 91.4953,
      -103.8827,
      255 - 131.0912,
    ]
    expected.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 4))
  })

  it('keeps RGB order, subtracts and divides (face-api)', () => {
    const out = preprocessInPlace(Float32Array.from([255, 0, 104.298]), FACE_API_PREPROCESSING)
    expect(out[0]).toBeCloseTo((255 - 122.782) / 255, 6)
    expect(out[1]).toBeCloseTo(-117.001 / 255, 6)
    expect(out[2]).toBeCloseTo(0, 6)
  })

  it('gives exactly what the tensor kernels give on every 0–255 value', () => {
    const pixels = Float32Array.from({ length: 3 * 256 * 3 }, (_, i) => (i * 7) % 256)
    for (const spec of [VGGFACE_PREPROCESSING, FACE_API_PREPROCESSING]) {
      const kernels = tf.tidy(() =>
        preprocessPixels(tf.tensor4d(pixels, [1, 1, pixels.length / 3, 3]), spec).dataSync(),
      )
      expect([...preprocessInPlace(pixels.slice(), spec)]).toEqual([...kernels])
    }
  })

  it('refuses a length that is not whole pixels', () => {
    expect(() => preprocessInPlace(new Float32Array(4), VGGFACE_PREPROCESSING)).toThrow(RangeError)
  })
})
