import { AppError } from '../../../shared/errors'
import {
  FACE_API_PREPROCESSING,
  VGGFACE_PREPROCESSING,
  type FaceResNetConfig,
  type ModelConfig,
  type SeResNetConfig,
} from './config'

/** Names of the model presets. */
export const PRESET_NAMES = ['paper', 'laptop', 'tiny', 'face'] as const

/** A model preset name. */
export type PresetName = (typeof PRESET_NAMES)[number]

/** Training settings a preset starts from (the trainer may override any of them). */
export interface TrainingDefaults {
  epochs: number
  /** Initial SGD learning rate. */
  learningRate: number
  /** The learning rate is multiplied by `learningRateDecay` every `learningRateStepEpochs`. */
  learningRateStepEpochs: number
  learningRateDecay: number
  /** SGD momentum (the paper only says "SGD"; 0.9 is our assumption). */
  momentum: number
  /** Clips per batch (each clip gives an onset, an apex and a close-to-apex frame). */
  batchSize: number
  /** Frames are resized to resizeSize², then cropped to cropSize² (random in training, centre at test). */
  resizeSize: number
  cropSize: number
  /** Weight λ of the contrastive terms. */
  lambda: number
  /** Margin δ of L_OA, L_OC and L_NA. */
  margin: number
  /** Weight positives per AU by negatives/positives of the training folds (DOMAIN §1). */
  classBalancedBce: boolean
  /**
   * Leading backbone stages (stem included in stage 0) whose pretrained weights stay as
   * loaded; 0 trains every weight. A linear probe freezes every stage.
   */
  frozenStages: number
  /**
   * Learning rate of the trainable backbone weights relative to the AU head's (1: alike). A
   * pretrained backbone fine-tuned at the head's rate forgets what it learnt.
   */
  backboneLearningRateScale: number
  /**
   * What a run trains unless told otherwise: the whole network (`fine-tune`, what the preset
   * leaves unfrozen) or the AU head alone on frozen pretrained features (`linear-probe`).
   */
  trainMode: 'fine-tune' | 'linear-probe'
}

/** A named model size with its training defaults. */
export interface ModelPreset<C extends ModelConfig = ModelConfig> {
  name: PresetName
  description: string
  model: C
  training: TrainingDefaults
  /**
   * Weights the preset starts from: a VGGFace2 .h5 the user gives (`keras-vggface-senet50`),
   * face-api's face-recognition weights that ship with the app (`face-api-recognition`,
   * loaded for every run), or none (null: trained from scratch).
   */
  pretrained: 'keras-vggface-senet50' | 'face-api-recognition' | null
}

/** Resize side that keeps the paper's 256 → 224 resize-to-crop ratio for a crop side. */
export function resizeForCrop(cropSize: number): number {
  return Math.round((cropSize * 256) / 224)
}

const BN = { seRatio: 16, bnEpsilon: 1e-4, bnMomentum: 0.99 } as const

function scratchTraining(cropSize: number, epochs: number, batchSize: number): TrainingDefaults {
  return {
    epochs,
    learningRate: 0.01,
    learningRateStepEpochs: epochs / 2,
    learningRateDecay: 0.1,
    momentum: 0.9,
    batchSize,
    resizeSize: resizeForCrop(cropSize),
    cropSize,
    lambda: 0.1,
    margin: 1,
    classBalancedBce: true,
    frozenStages: 0,
    backboneLearningRateScale: 1,
    trainMode: 'fine-tune',
  }
}

/**
 * Training defaults of the `face` preset, for a pretrained start on a few hundred clips. By
 * default it is a linear probe: the AU head fitted on the frozen backbone's features
 * (ml/head/) of the apex minus the onset; fine-tuning matches it (BENCHMARKS.md, "Face-pretrained
 * start": within a few hundredths either way on two synthetic sets) at 4–9 times the time.
 * Fine-tuning (trainMode 'fine-tune') starts from the
 * probe's head, keeps the stem and the first three stages (35², 17² and 8² maps at 150²) as
 * loaded, trains the last two (4² and 2²) at a thousandth of the head's rate, with
 * class-balanced BCE, for 3 epochs (÷10 for the last) of batches of 8 clips, and ends by fitting
 * the head again on the fine-tuned features (training-run.ts). The backbone has
 * no batch-norm statistics to freeze: its normalisation is folded into fixed per-channel scales.
 */
const FACE_FINE_TUNING: TrainingDefaults = {
  epochs: 3,
  learningRate: 0.01,
  learningRateStepEpochs: 2,
  learningRateDecay: 0.1,
  momentum: 0.9,
  batchSize: 8,
  resizeSize: resizeForCrop(150),
  cropSize: 150,
  lambda: 0.1,
  margin: 1,
  classBalancedBce: true,
  frozenStages: 3,
  backboneLearningRateScale: 0.001,
  trainMode: 'linear-probe',
}

/**
 * The presets. `paper` is keras-vggface SENET50 (26,092,144 backbone weights) with the
 * paper's schedule (SGD 0.01, ÷10 every 40 epochs, 80 epochs, 256 → 224 crops; the paper
 * gives no batch size, 16 is ours). `laptop` and `tiny` keep its layout at a fraction of
 * the width and depth, train from scratch with class-balanced BCE, and halve their epoch
 * count at the learning-rate step like the paper does.
 */
export const MODEL_PRESETS: Readonly<
  Record<Exclude<PresetName, 'face'>, ModelPreset<SeResNetConfig>> & {
    face: ModelPreset<FaceResNetConfig>
  }
> = {
  paper: {
    name: 'paper',
    description: 'SE-ResNet-50 as in keras-vggface SENET50, 224×224, for VGGFace2 weights',
    model: {
      inputSize: 224,
      stemFilters: 64,
      stages: [3, 4, 6, 3],
      widths: [64, 128, 256, 512],
      ...BN,
      preprocessing: VGGFACE_PREPROCESSING,
    },
    training: {
      epochs: 80,
      learningRate: 0.01,
      learningRateStepEpochs: 40,
      learningRateDecay: 0.1,
      momentum: 0.9,
      batchSize: 16,
      resizeSize: 256,
      cropSize: 224,
      lambda: 0.1,
      margin: 1,
      classBalancedBce: false,
      frozenStages: 0,
      backboneLearningRateScale: 1,
      trainMode: 'fine-tune',
    },
    pretrained: 'keras-vggface-senet50',
  },
  laptop: {
    name: 'laptop',
    description: 'Narrow SE-ResNet (2 blocks per stage), 96×96, trains on a laptop CPU',
    model: {
      inputSize: 96,
      stemFilters: 16,
      stages: [2, 2, 2, 2],
      widths: [8, 16, 32, 64],
      ...BN,
      preprocessing: VGGFACE_PREPROCESSING,
    },
    training: scratchTraining(96, 30, 16),
    pretrained: null,
  },
  tiny: {
    name: 'tiny',
    description: 'Smallest SE-ResNet (1 block per stage), 32×32, for tests and smoke runs',
    model: {
      inputSize: 32,
      stemFilters: 8,
      stages: [1, 1, 1, 1],
      widths: [4, 8, 16, 32],
      ...BN,
      preprocessing: VGGFACE_PREPROCESSING,
    },
    training: scratchTraining(32, 6, 8),
    pretrained: null,
  },
  face: {
    name: 'face',
    description:
      'Face-recognition ResNet pretrained on faces (face-api / dlib, ships offline), 150×150',
    // The AU head reads the apex's features minus the onset's (config.ts, headInput): the
    // network was trained to tell people apart, and the clip's own onset removes the person.
    // The feature pools the last three stages (8², 4², 2² at 150²; 128 + 256 + 256 values):
    // finer detail than the identity-tuned last stage alone (BENCHMARKS.md).
    model: {
      family: 'face-resnet',
      inputSize: 150,
      preprocessing: FACE_API_PREPROCESSING,
      headInput: 'frame-minus-onset',
      featureStages: 3,
    },
    training: FACE_FINE_TUNING,
    pretrained: 'face-api-recognition',
  },
}

/** The preset called `name`; an `invalid_input` AppError names the known presets otherwise. */
export function getPreset(name: string): ModelPreset {
  if (!(PRESET_NAMES as readonly string[]).includes(name)) {
    throw new AppError(
      'invalid_input',
      `Unknown model preset "${name}" (known: ${PRESET_NAMES.join(', ')})`,
      { preset: name, known: [...PRESET_NAMES] },
    )
  }
  return MODEL_PRESETS[name as PresetName]
}
