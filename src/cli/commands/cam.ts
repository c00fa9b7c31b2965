import fs from 'node:fs/promises'
import path from 'node:path'
import { AppError } from '../../shared/errors'
import { requireString, type Command } from '../command'

/** `microau cam`: the Grad-CAM map of one AU over a clip's magnified apex, as a PNG. */
export const cam: Command = {
  name: 'cam',
  summary: "Draw one AU's Grad-CAM map over a clip's magnified apex frame as a PNG",
  usage:
    '--model DIR --in DIR --au N --out FILE.png [--apex FRAME] [--stage S (0-based; default the deepest with a map of 7×7 or more)] [--backend auto|wasm|cpu] [--json]',
  options: {
    model: { type: 'string' },
    in: { type: 'string' },
    au: { type: 'string' },
    out: { type: 'string' },
    apex: { type: 'string' },
    stage: { type: 'string' },
    backend: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(values, io) {
    const modelDir = path.resolve(requireString(values, 'model'))
    const input = requireString(values, 'in')
    const au = requireString(values, 'au').replace(/^AU/i, '')
    const out = path.resolve(requireString(values, 'out'))
    const apexFrame = typeof values.apex === 'string' ? Number(values.apex) : undefined
    const { selectBackend } = await import('../../engine/ml/backend')
    const { loadAuModel } = await import('../../engine/ml/weights/tfjs-format')
    const { findClipFiles, clipFileFrames, clipFileRate } =
      await import('../../engine/ml/infer/clip-files')
    const { clipViews, explainView, magnifiedApex } =
      await import('../../engine/ml/infer/explain-clip')
    const { gradCamOverlay } = await import('../../engine/ml/infer/grad-cam-image')
    const { modelGeometry } = await import('../../engine/ml/model-geometry')
    const { encodePng } = await import('../../engine/media/image-io')
    // One wasm thread: a pthreads pool would keep the CLI process alive after the answer.
    await selectBackend({
      prefer: (values.backend as 'auto' | undefined) ?? 'auto',
      purpose: 'inference',
      wasmThreads: 1,
    })
    const { model, sidecar } = await loadAuModel(modelDir)
    try {
      const index = model.auList.indexOf(au)
      if (index < 0) {
        throw new AppError(
          'invalid_input',
          `The model does not detect AU ${au} (it has ${model.auList.join(', ')})`,
        )
      }
      const [file] = await findClipFiles(input)
      const fps = await clipFileRate(file)
      const apex = await magnifiedApex(() => clipFileFrames(file), file.path, {
        apex: apexFrame,
        fps,
      })
      const geometry = modelGeometry(sidecar)
      const views = clipViews(apex, geometry)
      const stage = typeof values.stage === 'string' ? Number(values.stage) : undefined
      const { probabilities, maps } = explainView(model, views, geometry, [index], stage)
      const overlay = gradCamOverlay(views.apex, maps[0], Math.max(224, geometry.cropSize))
      await fs.mkdir(path.dirname(out), { recursive: true })
      await fs.writeFile(out, encodePng(overlay))
      const summary = {
        out,
        au,
        apex: apex.apex,
        apexEstimated: apex.estimated,
        probability: probabilities[index],
        peak: maps[0].peak,
      }
      if (values.json) io.stdout(JSON.stringify(summary, null, 2) + '\n')
      else
        io.stdout(
          `AU${au} p=${summary.probability.toFixed(3)} at apex ${summary.apex}${summary.apexEstimated ? ' (spotted)' : ''}: ${out}\n`,
        )
      return 0
    } finally {
      model.dispose()
    }
  },
}
