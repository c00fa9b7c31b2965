/**
 * What the Train view needs to know of the model presets and variants. The engine's
 * presets (engine/ml/model/presets.ts) and variant inputs (engine/ml/losses/variant-loss.ts)
 * are the source; tests/unit/renderer/train-presets.test.ts fails when these drift from them.
 */

/** A preset's size and default schedule. */
export interface PresetFacts {
  description: string
  /** Side of the square network input in pixels (frames are resized, then cropped to it). */
  cropSize: number
  epochs: number
  batchSize: number
  /** What a run trains unless the form says otherwise. */
  trainMode: 'fine-tune' | 'linear-probe'
  /** The AU head compares each frame with the clip's onset, so every step feeds the onset. */
  comparesWithOnset: boolean
}

/**
 * The presets as the form lists them: `face` first (pretrained on faces, ships with the
 * app: the best start when no VGGFace2 weights are at hand), then the from-scratch ones
 * smallest first.
 */
export const PRESET_FACTS = {
  face: {
    description:
      'Face-recognition ResNet pretrained on faces (face-api / dlib, ships offline), 150×150',
    cropSize: 150,
    epochs: 3,
    batchSize: 8,
    trainMode: 'linear-probe',
    comparesWithOnset: true,
  },
  tiny: {
    description: 'Smallest SE-ResNet (1 block per stage), 32×32, for tests and smoke runs',
    cropSize: 32,
    epochs: 6,
    batchSize: 8,
    trainMode: 'fine-tune',
    comparesWithOnset: false,
  },
  laptop: {
    description: 'Narrow SE-ResNet (2 blocks per stage), 96×96, trains on a laptop CPU',
    cropSize: 96,
    epochs: 30,
    batchSize: 16,
    trainMode: 'fine-tune',
    comparesWithOnset: false,
  },
  paper: {
    description: 'SE-ResNet-50 as in keras-vggface SENET50, 224×224, for VGGFace2 weights',
    cropSize: 224,
    epochs: 80,
    batchSize: 16,
    trainMode: 'fine-tune',
    comparesWithOnset: false,
  },
} as const satisfies Record<string, PresetFacts>

/** A preset name. */
export type PresetName = keyof typeof PRESET_FACTS

/** Frames a variant's loss uses per clip besides the apex. */
const VARIANT_FRAMES: Record<string, { close: boolean; onset: boolean }> = {
  baseline: { close: false, onset: false },
  intracl: { close: true, onset: true },
  intercl: { close: false, onset: false },
  iicl: { close: true, onset: true },
  cl: { close: false, onset: false },
  tl: { close: true, onset: true },
}

/**
 * Frames of each clip one training step feeds through the network: the apex, plus the
 * close-to-apex and onset frames for the variants whose loss uses them, and the onset for
 * a preset whose head compares with it (as engine/ml/train/step-memory.ts framesPerClip).
 */
export function framesPerClip(variant: string, preset: PresetName): number {
  const frames = VARIANT_FRAMES[variant] ?? { close: true, onset: true }
  const onset = frames.onset || PRESET_FACTS[preset].comparesWithOnset
  return 1 + (frames.close ? 1 : 0) + (onset ? 1 : 0)
}

/** What each variant trains with, in one line (the form's hint). */
export const VARIANT_HINTS: Record<string, string> = {
  baseline: 'BCE on apex frames only',
  intracl:
    'BCE on apex and close-to-apex + intra-contrastive terms (onset–apex, onset–close, apex–close)',
  intercl: 'BCE on apex + inter-contrastive term (clips that share no AU pushed apart)',
  iicl: 'BCE on apex and close-to-apex + intra- and inter-contrastive terms (the paper’s method)',
  cl: 'BCE on apex + Hadsell contrastive loss on apex pairs (comparison row)',
  tl: 'BCE on apex + FaceNet triplet loss over onset, apex, close (comparison row)',
}
