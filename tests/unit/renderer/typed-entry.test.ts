import { describe, expect, it } from 'vitest'
import { refusedMessage, savedMessage } from '../../../src/renderer/src/viewer/typed-entry'

describe('the typed entry’s message', () => {
  it('names every AU saved, then the notes', () => {
    expect(savedMessage({ saved: ['1', '2', 'R12B'], notes: ["'13?': …"] })).toEqual({
      saved: true,
      lines: ['Saved 3 AUs: 1, 2, R12B.', "'13?': …"],
    })
    expect(savedMessage({ saved: ['L14A'], notes: [] }).lines).toEqual(['Saved 1 AU: L14A.'])
  })

  it('says that nothing was saved, once', () => {
    expect(refusedMessage("Nothing was saved: '99' is not an AU code.").lines).toEqual([
      "Nothing was saved: '99' is not an AU code.",
    ])
    expect(refusedMessage('the connection was lost.')).toEqual({
      saved: false,
      lines: ['Nothing was saved: the connection was lost.'],
    })
  })
})
