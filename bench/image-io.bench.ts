/**
 * Image decode and encode, pure JavaScript (jpeg-js, pngjs: what image-io.ts decoded with
 * before; encodePng and encodeJpeg still encode with them) against sharp (libvips with
 * libjpeg-turbo and libspng: what decodeImage and encodePngWithSharp use), on the
 * frames a lab's clip folder holds: 300 frames of a synthetic face recording, 640×480,
 * skin-tinted colour, written by ffmpeg as JPEG (quality 2, 4:2:0, as cameras and SAMM/CASME
 * releases ship them) and as the PNGs the app's frame cache writes (RGB, zlib level 1).
 * Each row decodes (or encodes) every frame of the folder from the OS file cache, one after
 * another as the app's frame passes do; best of 3 runs. Then putting the JPEG folder into
 * the frame cache (importFrameImages, what the viewer's "prepare frames" runs) against the
 * single ffmpeg run it used before, and how far the two decoders' pixels lie apart.
 *
 * `npx tsx bench/image-io.bench.ts` prints a markdown section and writes
 * bench/results/image-io.md.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import jpeg from 'jpeg-js'
import pngjs from 'pngjs'
import sharp from 'sharp'
import { writeLongRecording } from '../src/engine/datasets/synthetic/long-recording'
import { ffmpegTools } from '../src/engine/media/ffmpeg-locate'
import {
  decodeImage,
  encodePng,
  encodePngWithSharp,
  type RgbImage,
} from '../src/engine/media/image-io'
import { importFrameImages } from '../src/engine/media/import-frames'
import { runPngPipe } from '../src/engine/media/png-pipe'

const FRAMES = 300
const REPEATS = 3
const HERE = path.dirname(fileURLToPath(import.meta.url))

/** Writes the recording and its frames as JPEG and PNG folders; returns their files. */
async function writeFolders(work: string): Promise<{ jpegs: string[]; pngs: string[] }> {
  const video = path.join(work, 'face.mp4')
  await writeLongRecording({
    seed: 5,
    seconds: FRAMES / 30,
    fps: 30,
    width: 640,
    height: 480,
    out: video,
  })
  const tint = 'format=rgb24,colorchannelmixer=rr=1:gg=0.82:bb=0.68'
  for (const [ext, args] of [
    ['jpg', ['-q:v', '2', '-pix_fmt', 'yuvj420p']],
    ['png', ['-compression_level', '1', '-pix_fmt', 'rgb24']],
  ] as const) {
    const folder = path.join(work, ext)
    fs.mkdirSync(folder)
    const run = spawnSync('ffmpeg', [
      '-v',
      'error',
      '-i',
      video,
      '-vf',
      tint,
      ...args,
      path.join(folder, `img%03d.${ext}`),
    ])
    if (run.status !== 0) throw new Error(`ffmpeg could not write the ${ext} frames: ${run.stderr}`)
  }
  const list = (ext: string) =>
    fs
      .readdirSync(path.join(work, ext))
      .sort()
      .map((f) => path.join(work, ext, f))
  return { jpegs: list('jpg'), pngs: list('png') }
}

async function bestOf(run: () => Promise<unknown>): Promise<number> {
  let best = Infinity
  for (let r = 0; r < REPEATS; r++) {
    const start = process.hrtime.bigint()
    await run()
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6)
  }
  return best
}

/** The old pure-JS decoders, as image-io.ts called them (RGB out). */
function jsDecode(bytes: Buffer, isPng: boolean): Uint8Array {
  if (!isPng) return jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false }).data
  const rgba = pngjs.PNG.sync.read(bytes).data
  const rgb = new Uint8Array((rgba.length / 4) * 3)
  for (let i = 0, o = 0; o < rgb.length; i += 4, o += 3) rgb.set(rgba.subarray(i, i + 3), o)
  return rgb
}

async function timeDecoders(files: string[], isPng: boolean): Promise<[number, number]> {
  const js = await bestOf(async () => {
    for (const file of files) jsDecode(fs.readFileSync(file), isPng)
  })
  const native = await bestOf(async () => {
    for (const file of files) await decodeImage(file)
  })
  return [js, native]
}

async function timeEncoders(images: RgbImage[]): Promise<[number, number][]> {
  const raw = (i: RgbImage) => ({ raw: { width: i.width, height: i.height, channels: 3 as const } })
  const png: [number, number] = [
    await bestOf(async () => images.forEach((i) => encodePng(i, { compressionLevel: 1 }))),
    await bestOf(async () => {
      for (const i of images) await encodePngWithSharp(i, { compressionLevel: 1 })
    }),
  ]
  const jpg: [number, number] = [
    await bestOf(async () => {
      for (const i of images) {
        const rgba = Buffer.alloc(i.width * i.height * 4, 255)
        for (let p = 0, o = 0; p < i.data.length; p += 3, o += 4)
          rgba.set(i.data.subarray(p, p + 3), o)
        jpeg.encode({ width: i.width, height: i.height, data: rgba }, 92)
      }
    }),
    await bestOf(async () => {
      for (const i of images) await sharp(i.data, raw(i)).jpeg({ quality: 92 }).toBuffer()
    }),
  ]
  return [png, jpg]
}

/**
 * Putting the JPEG folder into a frame cache: as importFrameImages did before (one ffmpeg run
 * over a concat list, PNGs out of a pipe, hashed into the cache) and as it does now (each file
 * decoded by decodeImage and encoded by sharp); a fresh cache each time.
 */
async function timeCacheImport(work: string, files: string[]): Promise<[number, number]> {
  const tools = await ffmpegTools()
  const images = files.map((file, i) => ({ number: i + 1, file }))
  let run = 0
  const cache = () => path.join(work, `cache-${run++}`)
  const list = path.join(work, 'frames.ffconcat')
  fs.writeFileSync(
    list,
    ['ffconcat version 1.0', ...files.map((f) => `file '${f}'`)].join('\n') + '\n',
  )
  const before = await bestOf(async () => {
    const dir = cache()
    fs.mkdirSync(dir)
    let count = 0
    const args = ['-xerror', '-err_detect', 'explode', '-f', 'concat', '-safe', '0', '-i', list]
    await runPngPipe(tools, [...args, '-map', '0:v:0', ...tools.passthrough], {
      what: 'bench',
      onPng: async (png) => fs.promises.writeFile(path.join(dir, `${count++}.png`), png),
    })
    if (count !== files.length) throw new Error(`ffmpeg gave ${count} of ${files.length} frames`)
  })
  const after = await bestOf(() => importFrameImages(images, cache(), { tools }))
  return [before, after]
}

/** Largest and mean absolute difference between the two decoders over every frame. */
async function agreement(files: string[], isPng: boolean): Promise<{ max: number; mean: number }> {
  let max = 0
  let sum = 0
  let count = 0
  for (const file of files) {
    const a = jsDecode(fs.readFileSync(file), isPng)
    const b = (await decodeImage(file)).data
    for (let i = 0; i < a.length; i++) {
      const d = Math.abs(a[i] - b[i])
      max = Math.max(max, d)
      sum += d
    }
    count += a.length
  }
  return { max, mean: sum / count }
}

function row(label: string, [before, after]: [number, number]): string {
  const perFrame = (ms: number) => (ms / FRAMES).toFixed(2)
  return `| ${label} | ${perFrame(before)} | ${perFrame(after)} | ${(before / after).toFixed(1)}× |`
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'microau-image-io-'))
  try {
    const { jpegs, pngs } = await writeFolders(work)
    const size = (files: string[]) =>
      files.reduce((s, f) => s + fs.statSync(f).size, 0) / files.length / 1024
    const jpegTimes = await timeDecoders(jpegs, false)
    const pngTimes = await timeDecoders(pngs, true)
    const images = await Promise.all(pngs.map((f) => decodeImage(f)))
    const [pngEncode, jpegEncode] = await timeEncoders(images)
    const cacheImport = await timeCacheImport(work, jpegs)
    const jpegAgree = await agreement(jpegs, false)
    const pngAgree = await agreement(pngs, true)
    const markdown = [
      '## Image decode and encode: pure JS against sharp',
      '',
      `${new Date().toISOString().slice(0, 10)} · ${os.cpus()[0].model} (${os.availableParallelism()} logical cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average ${os.loadavg()[0].toFixed(1)} at the end) · ${os.type()} ${os.release()} · Node ${process.version} · sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips}) · \`npx tsx bench/image-io.bench.ts\``,
      '',
      `${FRAMES} frames of a synthetic face, 640×480 colour: JPEG ${size(jpegs).toFixed(0)} KiB, PNG ${size(pngs).toFixed(0)} KiB a frame on average, read from the OS file cache one after another; best of ${REPEATS} runs.`,
      '',
      '| ms per frame | jpeg-js / pngjs | sharp | speed-up |',
      '| --- | ---: | ---: | ---: |',
      row('decode JPEG → RGB (`decodeImage`)', jpegTimes),
      row('decode PNG → RGB (`decodeImage`, the frame cache)', pngTimes),
      row('encode PNG, zlib level 1 (`encodePng` against `encodePngWithSharp`)', pngEncode),
      row('encode JPEG, quality 92 (`encodeJpeg`: jpeg-js, test fixtures only)', jpegEncode),
      '',
      '| ms per frame | ffmpeg, one run (before) | sharp (`importFrameImages` now) | speed-up |',
      '| --- | ---: | ---: | ---: |',
      row('JPEG folder → frame cache PNGs (zlib level 1)', cacheImport),
      '',
      '- `decodeImage` (frame folders in every training, apex and prediction pass, the frame cache, and now the frame-cache import of PNG and JPEG frames) decodes with sharp: the "sharp" decode rows are the app\'s own call. `encodePngWithSharp` writes the imported frames; `encodePng` (pngjs, synchronous) still writes the magnified, Grad-CAM and frame-folder PNGs.',
      '- The cache rows: "before" is the one ffmpeg run the import used (concat list → PNG pipe → files), without the header checks and the hashing into the cache that `importFrameImages` adds on top in both versions, so it flatters the old import a little; "now" is the whole `importFrameImages` call, four frames in flight.',
      `- The decoders agree: PNG pixels identical (largest difference ${pngAgree.max}); JPEG pixels differ by ${jpegAgree.mean.toFixed(2)} grey levels on average, ${jpegAgree.max} at most (both are valid IDCTs and chroma upsamplings of one file; libjpeg-turbo's is the reference decoder's).`,
      '',
    ].join('\n')
    process.stdout.write(markdown)
    fs.mkdirSync(path.join(HERE, 'results'), { recursive: true })
    fs.writeFileSync(path.join(HERE, 'results', 'image-io.md'), markdown)
  } finally {
    fs.rmSync(work, { recursive: true, force: true })
  }
}

await main()
