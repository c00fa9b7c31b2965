import type { Page } from 'playwright-core'

/*
 * Code that runs in the page, kept as source text: this side of the test is compiled without
 * DOM types, the page has them. Each probe reads the viewer's stage canvas
 * ([data-testid=stage], whose data-frame attribute names the frame it holds).
 */

const STAGE = "document.querySelector('[data-testid=stage]')"

const STAGE_DIFFERENCE = `async (key) => {
  const image = new Image()
  image.src = '/frames/' + key + '.png'
  await image.decode()
  const expected = document.createElement('canvas')
  expected.width = image.width
  expected.height = image.height
  const ctx = expected.getContext('2d')
  ctx.drawImage(image, 0, 0)
  const a = ctx.getImageData(0, 0, image.width, image.height).data
  const stage = ${STAGE}
  if (stage.width !== image.width || stage.height !== image.height) return -1
  const b = stage.getContext('2d').getImageData(0, 0, stage.width, stage.height).data
  let differing = 0
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differing++
  return differing
}`

const STAGE_SUM = `() => {
  const stage = ${STAGE}
  const data = stage.getContext('2d').getImageData(0, 0, stage.width, stage.height).data
  let sum = 0
  for (let i = 0; i < data.length; i += 4) sum += data[i] + data[i + 1] + data[i + 2]
  return sum
}`

// Key press to painted frame: the keydown's timestamp, then, once the stage's data-frame
// changes, the next animation frame and a task after it (which runs once that frame has
// been painted). Samples collect in window.__paintLatencies (milliseconds).
const PAINT_PROBE = `() => {
  const latencies = []
  window.__paintLatencies = latencies
  let pressed = 0
  addEventListener('keydown', (event) => { pressed = event.timeStamp }, { capture: true })
  new MutationObserver(() => {
    const start = pressed
    requestAnimationFrame(() => {
      const channel = new MessageChannel()
      channel.port1.onmessage = () => latencies.push(performance.now() - start)
      channel.port2.postMessage(0)
    })
  }).observe(${STAGE}, { attributes: true, attributeFilter: ['data-frame'] })
}`

/** Bytes in which the stage differs from the cached frame `key` (0: identical, −1: other size). */
export function stageDifference(page: Page, key: string): Promise<number> {
  return page.evaluate(`(${STAGE_DIFFERENCE})(${JSON.stringify(key)})`)
}

/** Sum of the stage's colour values (0 for an all-black difference image). */
export function stageSum(page: Page): Promise<number> {
  return page.evaluate(`(${STAGE_SUM})()`)
}

/** Starts recording key-press-to-paint latencies of the stage. */
export function installPaintProbe(page: Page): Promise<void> {
  return page.evaluate(`(${PAINT_PROBE})()`)
}

/** The latencies recorded so far, in milliseconds. */
export function paintLatencies(page: Page): Promise<number[]> {
  return page.evaluate('window.__paintLatencies.slice()')
}

/** Resolves once `count` latencies have been recorded (polled inside the page). */
export function waitForPaints(page: Page, count: number): Promise<void> {
  return page.evaluate(`new Promise((resolve) => {
    const check = () => (window.__paintLatencies.length >= ${count} ? resolve() : setTimeout(check, 1))
    check()
  })`)
}
