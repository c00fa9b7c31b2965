import { z } from 'zod'

/** Row ids are positive integers. */
export const idSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)

/** Names a person types: trimmed, 1–200 characters, no control characters. */
export const nameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters')

/** An absolute file-system path (POSIX, or Windows drive / UNC), at most 4096 characters. */
export const absolutePathSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(4096, 'must be at most 4096 characters')
  .refine((p) => !p.includes('\0'), 'must not contain NUL')
  .refine((p) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(p), 'must be an absolute path')

/** The datasets a training run pools: one or more, each once (a duplicate is named). */
export const datasetIdsSchema = z
  .array(idSchema)
  .min(1)
  .max(20)
  .superRefine((ids, ctx) => {
    const twice = ids.find((x, i) => ids.indexOf(x) !== i)
    if (twice !== undefined) {
      ctx.addIssue({ code: 'custom', message: `lists dataset ${twice} twice; give each once` })
    }
  })

/** Frame rates a camera can have. */
export const fpsSchema = z.number().positive().max(10_000)

/** A decision threshold: a probability p is a yes when p ≥ it. */
export const thresholdSchema = z.number().min(0).max(1)

/** What an import needs: the format, its sheet and frames, the dataset to fill. */
export const importRequestSchema = z
  .object({
    format: z.enum(['casme2', 'samm', 'casme3', 'mmew', 'csv', 'folder', 'videos', 'eaf']),
    /** The coding sheet; for 'eaf' the .eaf file or a folder of them. */
    sheet: absolutePathSchema.optional(),
    frames: z.union([absolutePathSchema, z.array(absolutePathSchema).min(1).max(100_000)]),
    dataset: nameSchema,
    fps: fpsSchema.optional(),
    coder: nameSchema.optional(),
    subject: nameSchema.optional(),
    variant: z.enum(['raw', 'cropped']).optional(),
    /** ELAN only: tier id → coder name (tiers not listed are not read). */
    tiers: z
      .record(z.string().min(1).max(200), nameSchema)
      .refine((m) => Object.keys(m).length <= 500, 'must map at most 500 tiers')
      .optional(),
  })
  .strict()

/** What an export needs: the dataset, the format and where to write. */
export const exportRequestSchema = z
  .object({
    format: z.enum(['csv', 'xlsx', 'json', 'frames', 'eaf', 'boris']),
    dataset: nameSchema,
    out: absolutePathSchema,
    coder: nameSchema.optional(),
  })
  .strict()

/** A synthetic micro-expression dataset to generate (the demo, test fixtures). */
export const synthRequestSchema = z
  .object({
    outDir: absolutePathSchema,
    subjects: z.number().int().min(1).max(200),
    clipsPerSubject: z.number().int().min(1).max(100),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1),
    format: z.enum(['casme2', 'video']).default('casme2'),
    size: z.number().int().min(32).max(1024).optional(),
  })
  .strict()
