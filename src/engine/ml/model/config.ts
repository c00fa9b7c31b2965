import { z } from 'zod'

/** Bottleneck expansion: a block of width w outputs 4·w channels, as in ResNet-50. */
export const BOTTLENECK_EXPANSION = 4

/**
 * How 0–255 RGB pixels become network input: optionally reverse the channels to BGR, then
 * subtract a per-channel mean given in the network's channel order, then divide by
 * `divisor` (1 when left out).
 */
export const preprocessingSchema = z.strictObject({
  channelOrder: z.enum(['rgb', 'bgr']),
  mean: z.tuple([z.number(), z.number(), z.number()]),
  divisor: z.number().positive().optional(),
})

/**
 * What the AU head reads: the frame's own pooled feature ('frame', the paper's model), or
 * that feature minus the pooled feature of the clip's onset frame ('frame-minus-onset').
 * A network pretrained to recognise faces describes mostly who is in the frame; the clip's
 * own onset (the neutral face before the movement) takes the person out and leaves the
 * movement, as micro-expression methods that work on onset–apex pairs do (optical flow or
 * difference images between the two frames). Such a model needs the onset frame wherever
 * it predicts (every clip has one).
 */
export const headInputSchema = z.enum(['frame', 'frame-minus-onset'])

/** What the AU head reads (see {@link headInputSchema}). */
export type HeadInput = z.infer<typeof headInputSchema>

/**
 * How many of the last stages make the feature: each stage's output is averaged over
 * positions and the averages are concatenated, deepest last (1 when left out: the last stage
 * alone, as the paper's model). Earlier stages keep finer, less identity-bound detail, which
 * a frozen backbone trained for another task hands its linear head this way (multi-layer
 * features for transfer: Azizpour et al., "Factors of Transferability for a Generic ConvNet
 * Representation", TPAMI 2016).
 */
export const featureStagesSchema = z.number().int().min(1)

/** Pixel pre-processing of a model (see {@link preprocessingSchema}). */
export type PixelPreprocessing = z.infer<typeof preprocessingSchema>

/**
 * keras-vggface's `preprocess_input(version=2)` for SENET50 / RESNET50: RGB → BGR, then
 * subtract [91.4953, 103.8827, 131.0912] from the B, G, R channels of 0–255 values.
 */
export const VGGFACE_PREPROCESSING: PixelPreprocessing = {
  channelOrder: 'bgr',
  mean: [91.4953, 103.8827, 131.0912],
}

/**
 * face-api's FaceRecognitionNet (faceRecognitionNet/FaceRecognitionNet.ts): RGB, minus the
 * mean [122.782, 117.001, 104.298], divided by 255.
 */
export const FACE_API_PREPROCESSING: PixelPreprocessing = {
  channelOrder: 'rgb',
  mean: [122.782, 117.001, 104.298],
  divisor: 255,
}

/**
 * Shape of an SE-ResNet: a 7×7/2 stem convolution with TF 'same' padding, batch norm and
 * ReLU, a 3×3/2 'valid' max pool, then bottleneck stages. Stage s has `stages[s]` blocks of
 * bottleneck width `widths[s]` (output 4·width); the first block of every stage after the
 * first has stride 2 on its first 1×1 convolution (Caffe style). Every block ends with a
 * squeeze-and-excitation gate whose hidden size is floor(channels / seRatio).
 */
export const seResNetConfigSchema = z
  .strictObject({
    inputSize: z.number().int().min(16),
    stemFilters: z.number().int().positive(),
    stages: z.array(z.number().int().positive()).min(1),
    widths: z.array(z.number().int().positive()).min(1),
    seRatio: z.number().int().positive(),
    bnEpsilon: z.number().positive(),
    /** Keras convention: moving = momentum·moving + (1 − momentum)·batch. */
    bnMomentum: z.number().gt(0).lt(1),
    preprocessing: preprocessingSchema,
    /** 'frame' when left out. */
    headInput: headInputSchema.optional(),
    featureStages: featureStagesSchema.optional(),
  })
  .refine((c) => c.stages.length === c.widths.length, {
    message: 'stages and widths must have the same length',
  })

/** Configuration of an SE-ResNet backbone (see {@link seResNetConfigSchema}). */
export type SeResNetConfig = z.infer<typeof seResNetConfigSchema>

/**
 * The face-recognition ResNet of dlib as face-api ships it (see face-resnet.ts): its layout
 * is fixed, only the input side may change (150 as trained).
 */
export const faceResNetConfigSchema = z.strictObject({
  family: z.literal('face-resnet'),
  inputSize: z.number().int().min(48),
  preprocessing: preprocessingSchema,
  /** 'frame' when left out (models saved before it existed). */
  headInput: headInputSchema.optional(),
  featureStages: featureStagesSchema.optional(),
})

/** Configuration of the face-recognition ResNet (see {@link faceResNetConfigSchema}). */
export type FaceResNetConfig = z.infer<typeof faceResNetConfigSchema>

/** Any backbone's configuration: an SE-ResNet (no `family` field) or the face ResNet. */
export const modelConfigSchema = z.union([seResNetConfigSchema, faceResNetConfigSchema])

/** Configuration of any backbone (see {@link modelConfigSchema}). */
export type ModelConfig = z.infer<typeof modelConfigSchema>

/** Whether `config` is the face-recognition ResNet's. */
export function isFaceResNet(config: ModelConfig): config is FaceResNetConfig {
  return 'family' in config && config.family === 'face-resnet'
}

/** Whether the AU head of a model of `config` compares each frame with its clip's onset. */
export function comparesWithOnset(config: ModelConfig): boolean {
  return config.headInput === 'frame-minus-onset'
}
