// Grading one sample, as /fine_tuning/alpha/graders/run does. Model graders ask the test server's own chat
// completions (so `onChat` scripts their verdicts); python graders are not run.
import type OpenAI from 'openai';
import { createChatCompletion } from './chat';
import type { ServerContext } from './context';
import { ApiError, unsupportedInTestServer } from './errors';
import { FormulaError, parseFormula } from './formula';
import { subGraders } from './graderValidation';
import { renderTemplate, type TemplateNamespaces } from './graderTemplates';
import { similarity } from './textSimilarity';
import { isRecord, type JsonObject } from './validation';

export type GraderErrors = OpenAI.FineTuning.Alpha.GraderRunResponse.Metadata.Errors;
export type TokenUsageByModel = Record<string, { prompt_tokens: number; completion_tokens: number; total_tokens: number; cached_tokens: number }>;

export interface GraderOutcome {
  readonly reward: number;
  readonly errors: Partial<GraderErrors>;
  readonly subRewards: Record<string, number>;
  readonly tokenUsage: TokenUsageByModel;
  readonly sampledModelName: string | null;
}

export const NO_GRADER_ERRORS: GraderErrors = {
  formula_parse_error: false,
  invalid_variable_error: false,
  model_grader_parse_error: false,
  model_grader_refusal_error: false,
  model_grader_server_error: false,
  model_grader_server_error_details: null,
  other_error: false,
  python_grader_runtime_error: false,
  python_grader_runtime_error_details: null,
  python_grader_server_error: false,
  python_grader_server_error_type: null,
  sample_parse_error: false,
  truncated_observation_error: false,
  unresponsive_reward_error: false,
};

const outcome = (reward: number, extra: Partial<GraderOutcome> = {}): GraderOutcome => ({
  reward,
  errors: {},
  subRewards: {},
  tokenUsage: {},
  sampledModelName: null,
  ...extra,
});

export async function runGrader(context: ServerContext, grader: JsonObject, namespaces: TemplateNamespaces): Promise<GraderOutcome> {
  switch (grader.type) {
    case 'string_check':
      return stringCheck(grader, namespaces);
    case 'text_similarity':
      return textSimilarity(grader, namespaces);
    case 'score_model':
    case 'label_model':
      return modelGrade(context, grader, namespaces);
    case 'multi':
      return multi(context, grader, namespaces);
    default:
      throw unsupportedInTestServer(`Running ${String(grader.type)} graders`, 'grader.type');
  }
}

function renderBoth(grader: JsonObject, namespaces: TemplateNamespaces): { input: string; reference: string } | undefined {
  const input = renderTemplate(String(grader.input), namespaces);
  const reference = renderTemplate(String(grader.reference), namespaces);
  return input.missing || reference.missing ? undefined : { input: input.text, reference: reference.text };
}

function stringCheck(grader: JsonObject, namespaces: TemplateNamespaces): GraderOutcome {
  const texts = renderBoth(grader, namespaces);
  if (!texts) return outcome(0, { errors: { invalid_variable_error: true } });
  const { input, reference } = texts;
  const passed =
    grader.operation === 'eq'
      ? input === reference
      : grader.operation === 'ne'
        ? input !== reference
        : grader.operation === 'like'
          ? input.includes(reference)
          : input.toLowerCase().includes(reference.toLowerCase());
  return outcome(passed ? 1 : 0);
}

function textSimilarity(grader: JsonObject, namespaces: TemplateNamespaces): GraderOutcome {
  const metric = String(grader.evaluation_metric);
  const texts = renderBoth(grader, namespaces);
  if (!texts) return outcome(0, { errors: { invalid_variable_error: true } });
  const score = similarity(metric, texts.input, texts.reference);
  if (score === undefined) throw unsupportedInTestServer(`The '${metric}' evaluation metric`, 'grader.evaluation_metric');
  return outcome(score);
}

async function multi(context: ServerContext, grader: JsonObject, namespaces: TemplateNamespaces): Promise<GraderOutcome> {
  const graders = Object.entries(subGraders(grader));
  const outcomes = await Promise.all(graders.map(([, sub]) => runGrader(context, sub, namespaces)));
  const subRewards = Object.fromEntries(graders.map(([name], index) => [name, outcomes[index].reward]));
  const errors: Partial<GraderErrors> = Object.assign({}, ...outcomes.map((item) => item.errors));
  const tokenUsage = mergeUsage(outcomes.map((item) => item.tokenUsage));
  const sampledModelName = outcomes.find((item) => item.sampledModelName)?.sampledModelName ?? null;
  try {
    const reward = parseFormula(String(grader.calculate_output)).evaluate(subRewards);
    return outcome(Number.isFinite(reward) ? reward : 0, { errors, subRewards, tokenUsage, sampledModelName });
  } catch (error) {
    if (!(error instanceof FormulaError)) throw error;
    return outcome(0, { errors: { ...errors, formula_parse_error: true }, subRewards, tokenUsage, sampledModelName });
  }
}

const SCORE_SCHEMA_STEPS = {
  type: 'array',
  items: {
    type: 'object',
    properties: { description: { type: 'string' }, conclusion: { type: 'string' } },
    required: ['description', 'conclusion'],
    additionalProperties: false,
  },
};

function verdictSchema(grader: JsonObject): JsonObject {
  const result =
    grader.type === 'label_model'
      ? { type: 'string', enum: grader.labels }
      : { type: 'number', minimum: Array.isArray(grader.range) ? grader.range[0] : 0, maximum: Array.isArray(grader.range) ? grader.range[1] : 1 };
  return { type: 'object', properties: { steps: SCORE_SCHEMA_STEPS, result }, required: ['steps', 'result'], additionalProperties: false };
}

async function modelGrade(context: ServerContext, grader: JsonObject, namespaces: TemplateNamespaces): Promise<GraderOutcome> {
  const model = String(grader.model);
  let missingVariable = false;
  const messages = (grader.input as JsonObject[]).map((message) => {
    const rendered = renderTemplate(contentText(message.content), namespaces);
    if (rendered.missing) missingVariable = true;
    return { role: message.role, content: rendered.text };
  });
  if (missingVariable) return outcome(0, { errors: { invalid_variable_error: true }, sampledModelName: model });
  const sampling = isRecord(grader.sampling_params) ? grader.sampling_params : {};
  const body: JsonObject = {
    model,
    messages,
    response_format: { type: 'json_schema', json_schema: { name: `${String(grader.type)}_grader`, strict: true, schema: verdictSchema(grader) } },
    ...pick(sampling, ['temperature', 'top_p', 'seed', 'reasoning_effort']),
    ...(typeof sampling.max_completions_tokens === 'number' ? { max_completion_tokens: sampling.max_completions_tokens } : {}),
  };
  let completion: OpenAI.ChatCompletion;
  try {
    completion = await createChatCompletion(context, body);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return outcome(0, { errors: { model_grader_server_error: true, model_grader_server_error_details: error.message }, sampledModelName: model });
  }
  const usage = completion.usage;
  const tokenUsage: TokenUsageByModel = usage
    ? { [model]: { prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens, total_tokens: usage.total_tokens, cached_tokens: 0 } }
    : {};
  const message = completion.choices[0].message;
  if (message.refusal) return outcome(0, { errors: { model_grader_refusal_error: true }, tokenUsage, sampledModelName: model });
  const verdict = parseVerdict(message.content);
  const reward =
    grader.type === 'label_model' ? (typeof verdict === 'string' ? ((grader.passing_labels as string[]).includes(verdict) ? 1 : 0) : undefined) : typeof verdict === 'number' ? verdict : undefined;
  if (reward === undefined) return outcome(0, { errors: { model_grader_parse_error: true }, tokenUsage, sampledModelName: model });
  return outcome(reward, { tokenUsage, sampledModelName: model });
}

function parseVerdict(content: string | null): unknown {
  try {
    const parsed: unknown = JSON.parse(content ?? '');
    return isRecord(parsed) ? parsed.result : undefined;
  } catch {
    return undefined;
  }
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  const parts = Array.isArray(content) ? content : [content];
  return parts.map((part) => (typeof part === 'string' ? part : isRecord(part) && typeof part.text === 'string' ? part.text : '')).join('\n');
}

function pick(source: JsonObject, keys: string[]): JsonObject {
  return Object.fromEntries(keys.filter((key) => source[key] !== undefined && source[key] !== null).map((key) => [key, source[key]]));
}

function mergeUsage(usages: TokenUsageByModel[]): TokenUsageByModel {
  const merged: TokenUsageByModel = {};
  for (const usage of usages) {
    for (const [model, counts] of Object.entries(usage)) {
      const total = (merged[model] ??= { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, cached_tokens: 0 });
      total.prompt_tokens += counts.prompt_tokens;
      total.completion_tokens += counts.completion_tokens;
      total.total_tokens += counts.total_tokens;
      total.cached_tokens += counts.cached_tokens;
    }
  }
  return merged;
}
