import { describe, expect, it } from 'vitest'
import { viewerAction, type KeyPress } from '../../../src/renderer/src/viewer/key-map'

const key = (k: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key: k,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
})

describe('viewerAction', () => {
  it('steps one frame with the arrows and ten with Shift', () => {
    expect(viewerAction(key('ArrowRight'))).toEqual({ type: 'step', frames: 1 })
    expect(viewerAction(key('ArrowLeft'))).toEqual({ type: 'step', frames: -1 })
    expect(viewerAction(key('ArrowRight', { shiftKey: true }))).toEqual({
      type: 'step',
      frames: 10,
    })
    expect(viewerAction(key('ArrowLeft', { shiftKey: true }))).toEqual({
      type: 'step',
      frames: -10,
    })
    expect(viewerAction(key('Home'))).toEqual({ type: 'first' })
    expect(viewerAction(key('End'))).toEqual({ type: 'last' })
    expect(viewerAction(key(' '))).toEqual({ type: 'play' })
  })

  it('sets markers with o, a, f and clears them with Shift', () => {
    expect(viewerAction(key('o'))).toEqual({ type: 'mark', marker: 'onset' })
    expect(viewerAction(key('a'))).toEqual({ type: 'mark', marker: 'apex' })
    expect(viewerAction(key('f'))).toEqual({ type: 'mark', marker: 'offset' })
    expect(viewerAction(key('F', { shiftKey: true }))).toEqual({ type: 'clear', marker: 'offset' })
  })

  it('maps 1 … 9 to the first nine AU slots and 0 to the tenth', () => {
    expect(viewerAction(key('1'))).toEqual({ type: 'toggleAu', slot: 0 })
    expect(viewerAction(key('9'))).toEqual({ type: 'toggleAu', slot: 8 })
    expect(viewerAction(key('0'))).toEqual({ type: 'toggleAu', slot: 9 })
  })

  it('undoes with Ctrl+Z (or ⌘Z) and redoes with Ctrl+Shift+Z or Ctrl+Y', () => {
    expect(viewerAction(key('z', { ctrlKey: true }))).toEqual({ type: 'undo' })
    expect(viewerAction(key('z', { metaKey: true }))).toEqual({ type: 'undo' })
    expect(viewerAction(key('Z', { ctrlKey: true, shiftKey: true }))).toEqual({ type: 'redo' })
    expect(viewerAction(key('y', { ctrlKey: true }))).toEqual({ type: 'redo' })
  })

  it('opens the previous / next clip of the library’s list with Page Up / Page Down', () => {
    expect(viewerAction(key('PageUp'))).toEqual({ type: 'clip', step: -1 })
    expect(viewerAction(key('PageDown'))).toEqual({ type: 'clip', step: 1 })
  })

  it('leaves other keys and combinations alone', () => {
    expect(viewerAction(key('o', { ctrlKey: true }))).toBeNull()
    expect(viewerAction(key('ArrowRight', { altKey: true }))).toBeNull()
    expect(viewerAction(key('x'))).toBeNull()
    expect(viewerAction(key('Tab'))).toBeNull()
    expect(viewerAction(key('c', { ctrlKey: true }))).toBeNull()
  })
})
