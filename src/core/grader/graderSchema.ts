// grader.json (docs/grader.md): an OpenAI grader object, verbatim, plus our `js` kind. The schema accepts exactly what
// OpenAI's fine-tuning API takes, so a grader from OpenAI's guides or cookbook works unchanged, and names the
// first wrong field ("graders.quality.range: expected [min, max]").
import { z } from 'zod';
import { REASONING_EFFORTS } from './judgeModels';

export const TEXT_SIMILARITY_METRICS = ['fuzzy_match', 'bleu', 'gleu', 'meteor', 'cosine', 'rouge_1', 'rouge_2', 'rouge_3', 'rouge_4', 'rouge_5', 'rouge_l'] as const;
export type TextSimilarityMetric = (typeof TEXT_SIMILARITY_METRICS)[number];
export const STRING_CHECK_OPERATIONS = ['eq', 'ne', 'like', 'ilike'] as const;

/** Keys of ours that OpenAI does not know; dropped when compiling for the API. */
const ours = {
  preset: z.string().optional(),
  description: z.string().optional(),
};

const name = z.string({ error: 'expected a name (string)' }).min(1, 'expected a non-empty name');
const template = (what: string) => z.string({ error: `expected ${what} (a string template)` });

const contentPart = z.looseObject({ type: z.string(), text: z.string().optional() });
const judgeMessage = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant'], { error: 'expected role system, developer, user or assistant' }),
  content: z.union([z.string(), z.array(contentPart)], { error: 'expected content: a string template or content parts' }),
  type: z.literal('message').optional(),
});

export const samplingParamsSchema = z.looseObject({
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  seed: z.number().int().nullish(),
  max_completions_tokens: z.number().int().positive().nullish(),
  reasoning_effort: z.enum(REASONING_EFFORTS, { error: `expected reasoning_effort one of ${REASONING_EFFORTS.join(', ')}` }).nullish(),
});

export const stringCheckSchema = z.strictObject({
  type: z.literal('string_check'),
  name,
  input: template('input'),
  reference: template('reference'),
  operation: z.enum(STRING_CHECK_OPERATIONS, { error: 'expected operation eq, ne, like or ilike' }),
  ...ours,
});

export const textSimilaritySchema = z.strictObject({
  type: z.literal('text_similarity'),
  name,
  input: template('input'),
  reference: template('reference'),
  evaluation_metric: z.enum(TEXT_SIMILARITY_METRICS, { error: `expected evaluation_metric one of ${TEXT_SIMILARITY_METRICS.join(', ')}` }),
  pass_threshold: z.number().optional(),
  ...ours,
});

const range = z.tuple([z.number(), z.number()], { error: 'expected [min, max]' }).refine(([min, max]) => min < max, { message: 'expected [min, max] with min < max' });

export const scoreModelSchema = z.strictObject({
  type: z.literal('score_model'),
  name,
  model: z.string({ error: 'expected a model name' }).min(1),
  input: z.array(judgeMessage, { error: 'expected input: an array of messages' }).min(1, 'expected at least one message'),
  range: range.optional(),
  pass_threshold: z.number().optional(),
  sampling_params: samplingParamsSchema.nullish(),
  ...ours,
});

export const labelModelSchema = z.strictObject({
  type: z.literal('label_model'),
  name,
  model: z.string({ error: 'expected a model name' }).min(1),
  input: z.array(judgeMessage, { error: 'expected input: an array of messages' }).min(1, 'expected at least one message'),
  labels: z.array(z.string()).min(1, 'expected at least one label'),
  passing_labels: z.array(z.string()).min(1, 'expected at least one passing label'),
  ...ours,
});

/** A script's code: inline `source`, or `file` relative to the dataset folder (ours, for `graders/<name>.py|js`). */
const scriptSource = {
  source: z.string().optional(),
  file: z.string().optional(),
};
const oneSource = (grader: { source?: string; file?: string }) => (grader.source === undefined) !== (grader.file === undefined);
const oneSourceMessage = { message: 'expected exactly one of "source" (the code) or "file" (a path such as graders/grade.py)', path: ['source'] };

export const pythonSchema = z.strictObject({ type: z.literal('python'), name, ...scriptSource, image_tag: z.string().optional(), ...ours }).refine(oneSource, oneSourceMessage);

export const jsSchema = z.strictObject({ type: z.literal('js'), name, ...scriptSource, ...ours }).refine(oneSource, oneSourceMessage);

const leafGrader = z.discriminatedUnion('type', [stringCheckSchema, textSimilaritySchema, scoreModelSchema, labelModelSchema, pythonSchema, jsSchema], {
  error: 'expected type string_check, text_similarity, score_model, label_model, python or js (multi graders cannot be nested)',
});

export const multiSchema = z.strictObject({
  type: z.literal('multi'),
  name,
  graders: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected grader names usable in calculate_output (letters, digits, _)'), leafGrader, {
    error: 'expected graders: an object mapping names to graders',
  }),
  calculate_output: z.string({ error: "expected calculate_output (a formula over the graders' names)" }).min(1),
  ...ours,
});

/** label_model is not here: OpenAI takes it only inside multi (the file parser says so by name). */
export const graderSchema = z.discriminatedUnion('type', [stringCheckSchema, textSimilaritySchema, scoreModelSchema, pythonSchema, jsSchema, multiSchema], {
  error: 'expected type string_check, text_similarity, score_model, python, js or multi',
});

export type StringCheckGrader = z.infer<typeof stringCheckSchema>;
export type TextSimilarityGrader = z.infer<typeof textSimilaritySchema>;
export type ScoreModelGrader = z.infer<typeof scoreModelSchema>;
export type LabelModelGrader = z.infer<typeof labelModelSchema>;
export type PythonGrader = z.infer<typeof pythonSchema>;
export type JsGrader = z.infer<typeof jsSchema>;
export type MultiGrader = z.infer<typeof multiSchema>;
export type LeafGrader = z.infer<typeof leafGrader>;
export type Grader = z.infer<typeof graderSchema>;
export type GraderType = Grader['type'];
export type JudgeMessage = z.infer<typeof judgeMessage>;
