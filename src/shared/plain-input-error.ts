/** One problem the contract's schema found in a call's input (a zod issue, flattened). */
export interface InputIssue {
  /** Where in the input: 'name', 'datasetIds.1'. */
  path: string
  message: string
  code?: string
  /** What zod was checking: 'string', 'array', 'number'. */
  origin?: string
  minimum?: number
  maximum?: number
  values?: readonly unknown[]
}

/** The fields of the contract's inputs in the words the screens label them with. */
const FIELD_WORDS: Record<string, string> = {
  name: 'name',
  dataset: 'dataset',
  datasetId: 'dataset',
  datasetIds: 'datasets',
  coder: 'coder',
  coderId: 'coder',
  modelId: 'model',
  modelDir: 'model folder',
  clipId: 'clip',
  clipIds: 'clips',
  sheet: 'coding sheet',
  frames: 'frames folder',
  folder: 'folder',
  path: 'path',
  out: 'output folder',
  outDir: 'output folder',
  weightsFile: 'weights file',
  format: 'format',
  fps: 'frame rate',
  folds: 'number of folds',
  epochs: 'number of epochs',
  batchSize: 'batch size',
  learningRate: 'learning rate',
  minPositives: 'minimum positive clips per AU',
  subject: 'subject',
  subjects: 'number of subjects',
  clipsPerSubject: 'clips per subject',
  preset: 'preset',
  variant: 'variant',
  backend: 'backend',
  aus: 'AUs',
  au: 'AU',
  seed: 'seed',
}

/** 'learningRate' → 'learning rate': a field this table does not know, still in words. */
function spaced(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
}

/**
 * The field an issue is about, as a coder reads it: 'The name', 'The datasets (item 2)';
 * nested keys name their last word field. An issue about the whole input is 'This request'.
 */
export function fieldWords(path: string): string {
  const parts = path.split('.').filter((p) => p !== '')
  const index = parts.length > 1 && /^\d+$/.test(parts.at(-1) ?? '') ? parts.pop() : undefined
  const key = parts.at(-1)
  if (key === undefined) return 'This request'
  const words = FIELD_WORDS[key] ?? spaced(key)
  return `The ${words}${index === undefined ? '' : ` (item ${Number(index) + 1})`}`
}

/** What is wrong, for zod's own (capitalised) wording; our schemas' messages are kept. */
function problem(issue: InputIssue): string {
  if (/^[a-z]/.test(issue.message)) return issue.message
  // Only a broken caller sends something that is not an object at all.
  if (issue.path === '') return 'is not in the form the app sends'
  const { code, origin, minimum, maximum } = issue
  if (code === 'too_small' && (origin === 'string' || origin === 'array') && Number(minimum) <= 1)
    return origin === 'string' ? 'must not be empty' : 'must name at least one'
  if (code === 'too_small') return `must be at least ${String(minimum)}`
  if (code === 'too_big') return `must be at most ${String(maximum)}`
  if (code === 'invalid_value' && issue.values)
    return `must be one of ${issue.values.map(String).join(', ')}`
  if (code === 'invalid_type')
    return /received undefined/.test(issue.message) ? 'is missing' : 'is not valid here'
  if (code === 'unrecognized_keys')
    return `holds a field this screen does not send (${issue.message.split(': ').at(-1)})`
  return 'is not valid'
}

/**
 * A contract input problem as one sentence a coder understands, naming the field:
 * "The name must not be empty." — never the method or schema wording.
 */
export function plainInputError(issue: InputIssue): string {
  return `${fieldWords(issue.path)} ${problem(issue)}.`
}
