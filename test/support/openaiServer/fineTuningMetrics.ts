// A reinforcement job's metrics event, in exactly the shape of the real one in OpenAI's RFT guide (appendix
// "Training metrics", copied in test/fixtures/vendor/openai/rft-metrics-event.json): `scores`, `errors`, `usage`,
// `timing` with one entry per grader in ARRAYS, the flat step names at the top. Values improve with the step.
// What the platform does without a `response_format` is reproduced: `sample.output_json` does not exist then
// (graders guide, "Sample namespace"), so a grader that reads it errors with invalid_variable_error on every sample
// and scores 0.
import { subGraders } from './graderValidation';
import { isRecord, type JsonObject } from './validation';

export interface RftStep {
  readonly step: number;
  readonly totalSteps: number;
  /** The job's `method.reinforcement` (grader, response_format, hyperparameters). */
  readonly reinforcement: JsonObject;
}

interface StepGrader {
  readonly name: string;
  readonly type: string;
  readonly model?: string;
  readonly broken: boolean;
}

const round = (value: number) => Math.round(value * 10000) / 10000;

/** The event's `data` and `message` for one training step of a reinforcement job. */
export function rftMetricsEvent(input: RftStep): { data: JsonObject; message: string } {
  const progress = input.step / input.totalSteps;
  const graders = stepGraders(input.reinforcement);
  const reward = (grader: StepGrader, index: number, split: 'train' | 'valid') => (grader.broken ? 0 : round((split === 'train' ? 0.3 : 0.25) + 0.5 * progress - 0.05 * index));
  const train = round(mean(graders.map((grader, index) => reward(grader, index, 'train'))));
  const valid = round(mean(graders.map((grader, index) => reward(grader, index, 'valid'))));
  const trainReasoning = round(3000 - 1000 * progress);
  const validReasoning = round(2000 - 600 * progress);
  const samples = 500;
  const modelGraders = graders.filter((grader) => grader.model !== undefined);
  const data: JsonObject = {
    step: input.step,
    usage: {
      graders: modelGraders.map((grader) => ({
        name: grader.name,
        type: grader.type,
        model: grader.model,
        train_prompt_tokens_mean: 241.0,
        valid_prompt_tokens_mean: 241.0,
        train_prompt_tokens_count: 241.0 * samples,
        valid_prompt_tokens_count: 241.0 * 20,
        train_completion_tokens_mean: 138.5,
        valid_completion_tokens_mean: 140.5,
        train_completion_tokens_count: 138.5 * samples,
        valid_completion_tokens_count: 140.5 * 20,
      })),
      samples: {
        train_reasoning_tokens_mean: trainReasoning,
        valid_reasoning_tokens_mean: validReasoning,
        train_reasoning_tokens_count: trainReasoning * samples,
        valid_reasoning_tokens_count: validReasoning * 20,
      },
    },
    errors: { graders: graders.map((grader) => errorEntry(grader, samples)) },
    scores: {
      graders: graders.map((grader, index) => ({ name: grader.name, type: grader.type, train_reward_mean: reward(grader, index, 'train'), valid_reward_mean: reward(grader, index, 'valid') })),
      train_reward_mean: train,
      valid_reward_mean: valid,
    },
    timing: {
      step: { eval: 100.0, sampling: 225.0, training: 400.0, full_iteration: 730.0 },
      graders: graders.map((grader) => ({ name: grader.name, type: grader.type, train_execution_latency_mean: grader.model ? 2.7 : 0.01, valid_execution_latency_mean: grader.model ? 4.1 : 0.01 })),
    },
    total_steps: input.totalSteps,
    train_mean_reward: train,
    reasoning_tokens_mean: trainReasoning,
    completion_tokens_mean: round(trainReasoning + 46),
    full_valid_mean_reward: valid,
    mean_unresponsive_rewards: 0.0,
    model_graders_token_usage: Object.fromEntries(
      modelGraders.map((grader) => [
        grader.model,
        { eval_cached_tokens: 0, eval_prompt_tokens: 4820, train_cached_tokens: 0, train_prompt_tokens: 241 * samples, eval_completion_tokens: 2810, train_completion_tokens: 69250 },
      ]),
    ),
    full_valid_mean_parse_error: 0.0,
    valid_reasoning_tokens_mean: validReasoning,
  };
  const message = `Step ${input.step}/${input.totalSteps} , train mean reward=${train.toFixed(2)}, full validation mean reward=${valid.toFixed(2)}, full validation mean parse error=0.00`;
  return { data, message };
}

/** What a checkpoint's `metrics` holds: the event's flat numbers of that step (see PROVENANCE.md: inferred). */
export function checkpointMetrics(data: JsonObject): Record<string, number> {
  return Object.fromEntries(Object.entries(data).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[0] !== 'total_steps'));
}

/** The graders the event reports: a multi grader's sub-graders (by their name), or the one grader. */
function stepGraders(reinforcement: JsonObject): StepGrader[] {
  const grader = isRecord(reinforcement.grader) ? reinforcement.grader : {};
  const hasResponseFormat = isRecord(reinforcement.response_format);
  const leaves: JsonObject[] = grader.type === 'multi' ? Object.entries(subGraders(grader)).map(([key, sub]) => ({ ...sub, name: typeof sub.name === 'string' ? sub.name : key })) : [grader];
  return leaves.map((leaf) => ({
    name: String(leaf.name ?? 'grader'),
    type: String(leaf.type ?? 'unknown'),
    ...(typeof leaf.model === 'string' ? { model: leaf.model } : {}),
    broken: !hasResponseFormat && readsOutputJson(leaf),
  }));
}

function errorEntry(grader: StepGrader, samples: number): JsonObject {
  const entry: JsonObject = { name: grader.name, type: grader.type };
  for (const kind of ['other_error', 'sample_parse_error', 'invalid_variable_error']) {
    const share = kind === 'invalid_variable_error' && grader.broken ? 1.0 : 0.0;
    entry[`train_${kind}_mean`] = share;
    entry[`valid_${kind}_mean`] = share;
    entry[`train_${kind}_count`] = share * samples;
    entry[`valid_${kind}_count`] = share * 20;
  }
  return entry;
}

function readsOutputJson(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('output_json');
  if (Array.isArray(value)) return value.some(readsOutputJson);
  return isRecord(value) && Object.values(value).some(readsOutputJson);
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}
