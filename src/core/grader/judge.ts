// Model graders (score_model, label_model) as OpenAI runs them (docs/grader.md §Semantics): the templated messages go to the
// judge model with structured output; score_model's `result` is clamped to `range`, a non-numeric answer scores 0
// with `model_grader_parse_error`; label_model passes when the chosen label is one of `passing_labels`.
import { z } from 'zod';
import { jsonInText } from '../llm/structuredOutput';
import type { GraderErrorCode, JudgeStep } from './gradeResult';
import type { LabelModelGrader, ScoreModelGrader } from './graderSchema';
import type { GradingPair } from './sample';
import { renderTemplate, textOf } from './template';

export interface JudgeRequest {
  readonly model: string;
  readonly messages: { role: 'system' | 'developer' | 'user' | 'assistant'; content: string }[];
  readonly temperature?: number;
  readonly top_p?: number;
  readonly seed?: number;
  readonly max_tokens?: number;
  readonly reasoning_effort?: string;
  /** OpenAI's `response_format` (json_schema) for the verdict. */
  readonly response_format?: object;
}

/** Who answers judge prompts: the API through the client layer, or VS Code's Language Model API. */
export interface Judge {
  readonly label: string;
  /** The reply text; throws JudgeRefusal when the model refuses. */
  chat(request: JudgeRequest, signal?: AbortSignal): Promise<string>;
}

export class JudgeRefusal extends Error {}

export interface JudgeOutcome {
  readonly score: number;
  readonly error?: { code: GraderErrorCode; message: string };
  readonly steps?: JudgeStep[];
  readonly label?: string;
  readonly result?: number;
}

const stepsSchema = {
  type: 'array',
  items: { type: 'object', properties: { description: { type: 'string' }, conclusion: { type: 'string' } }, required: ['description', 'conclusion'], additionalProperties: false },
};

export function scoreResponseFormat(): object {
  return {
    type: 'json_schema',
    json_schema: {
      name: 'score_model_verdict',
      strict: true,
      schema: { type: 'object', properties: { steps: stepsSchema, result: { type: 'number' } }, required: ['steps', 'result'], additionalProperties: false },
    },
  };
}

export function labelResponseFormat(labels: readonly string[]): object {
  return {
    type: 'json_schema',
    json_schema: {
      name: 'label_model_verdict',
      strict: true,
      schema: { type: 'object', properties: { steps: stepsSchema, result: { type: 'string', enum: labels } }, required: ['steps', 'result'], additionalProperties: false },
    },
  };
}

const verdictSchema = z.object({ result: z.unknown(), steps: z.array(z.object({ description: z.unknown(), conclusion: z.unknown() })).optional() });

export function judgeRequest(grader: ScoreModelGrader | LabelModelGrader, pair: GradingPair): JudgeRequest {
  const messages = grader.input.map((message) => ({
    role: message.role,
    content:
      typeof message.content === 'string' ? renderTemplate(message.content, pair) : message.content.map((part) => (typeof part.text === 'string' ? renderTemplate(part.text, pair) : '')).join(''),
  }));
  const sampling = grader.type === 'score_model' ? (grader.sampling_params ?? {}) : {};
  return {
    model: grader.model,
    messages,
    ...(sampling.temperature != null ? { temperature: sampling.temperature } : {}),
    ...(sampling.top_p != null ? { top_p: sampling.top_p } : {}),
    ...(sampling.seed != null ? { seed: sampling.seed } : {}),
    ...(sampling.max_completions_tokens != null ? { max_tokens: sampling.max_completions_tokens } : {}),
    ...(sampling.reasoning_effort != null ? { reasoning_effort: sampling.reasoning_effort } : {}),
    response_format: grader.type === 'score_model' ? scoreResponseFormat() : labelResponseFormat(grader.labels),
  };
}

export async function runJudge(grader: ScoreModelGrader | LabelModelGrader, pair: GradingPair, judge: Judge, signal?: AbortSignal): Promise<JudgeOutcome> {
  const request = judgeRequest(grader, pair);
  let text: string;
  try {
    text = await judge.chat(request, signal);
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    if (error instanceof JudgeRefusal) return { score: 0, error: { code: 'model_grader_refusal_error', message: `${grader.model} refused: ${error.message}` } };
    return { score: 0, error: { code: 'model_grader_server_error', message: `${judge.label}: ${(error as Error).message}` } };
  }
  const verdict = parseVerdict(text);
  if (!verdict) return { score: 0, error: { code: 'model_grader_parse_error', message: `the judge's reply is not a {"result", "steps"} object: ${excerpt(text)}` } };
  const steps = verdict.steps?.map((step) => ({ description: textOf(step.description), conclusion: textOf(step.conclusion) }));
  return grader.type === 'score_model' ? scoreOf(grader, verdict.result, steps) : labelOf(grader, verdict.result, steps);
}

function scoreOf(grader: ScoreModelGrader, result: unknown, steps: JudgeStep[] | undefined): JudgeOutcome {
  const value = typeof result === 'number' ? result : typeof result === 'string' && result.trim() !== '' ? Number(result) : NaN;
  if (!Number.isFinite(value))
    return { score: 0, steps, error: { code: 'model_grader_parse_error', message: `the judge's result is not a number: ${excerpt(JSON.stringify(result) ?? 'undefined')}` } };
  const [min, max] = grader.range ?? [0, 1];
  return { score: Math.min(max, Math.max(min, value)), steps, result: value };
}

function labelOf(grader: LabelModelGrader, result: unknown, steps: JudgeStep[] | undefined): JudgeOutcome {
  if (typeof result !== 'string' || !grader.labels.includes(result)) {
    return { score: 0, steps, error: { code: 'model_grader_parse_error', message: `the judge's label ${excerpt(JSON.stringify(result) ?? 'undefined')} is not one of ${grader.labels.join(', ')}` } };
  }
  return { score: grader.passing_labels.includes(result) ? 1 : 0, steps, label: result };
}

function parseVerdict(text: string): z.infer<typeof verdictSchema> | undefined {
  try {
    const parsed = verdictSchema.safeParse(jsonInText(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const excerpt = (text: string) => (text.length > 120 ? `${text.slice(0, 117)}…` : text);
