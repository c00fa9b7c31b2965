import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { fieldWords, plainInputError } from '../../../src/shared/plain-input-error'
import { nameSchema } from '../../../src/shared/schemas'

/** The first issue zod finds, flattened the way the engine flattens it. */
function firstIssue(schema: z.ZodType, input: unknown) {
  const issue = schema.safeParse(input).error!.issues[0] as z.core.$ZodIssue & {
    origin?: string
    minimum?: number
    maximum?: number
    values?: unknown[]
  }
  return {
    path: issue.path.map(String).join('.'),
    message: issue.message,
    code: issue.code,
    origin: issue.origin,
    minimum: issue.minimum === undefined ? undefined : Number(issue.minimum),
    maximum: issue.maximum === undefined ? undefined : Number(issue.maximum),
    values: issue.values?.map(String),
  }
}

describe('plainInputError', () => {
  it('names the field in words and keeps our schemas’ own wording', () => {
    const schema = z.object({ name: nameSchema })
    expect(plainInputError(firstIssue(schema, { name: '   ' }))).toBe('The name must not be empty.')
  })

  it('rewords zod’s defaults without the contract’s names', () => {
    const schema = z
      .object({
        datasetIds: z.array(z.number()).min(1),
        folds: z.number().int().min(2).max(10),
        preset: z.enum(['tiny', 'laptop']),
        learningRate: z.number(),
      })
      .strict()
    const base = { datasetIds: [1], folds: 5, preset: 'tiny', learningRate: 0.1 }
    const say = (input: object) => plainInputError(firstIssue(schema, { ...base, ...input }))
    expect(say({ datasetIds: [] })).toBe('The datasets must name at least one.')
    expect(say({ folds: 1 })).toBe('The number of folds must be at least 2.')
    expect(say({ folds: 11 })).toBe('The number of folds must be at most 10.')
    expect(say({ preset: 'huge' })).toBe('The preset must be one of tiny, laptop.')
    expect(say({ learningRate: undefined })).toBe('The learning rate is missing.')
    expect(say({ datasetIds: [1, 'x'] })).toBe('The datasets (item 2) is not valid here.')
  })

  it('spells out a field it has no words for, and the whole input', () => {
    expect(fieldWords('someNewField')).toBe('The some new field')
    expect(fieldWords('')).toBe('This request')
  })
})
