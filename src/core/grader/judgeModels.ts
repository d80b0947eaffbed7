// The judges (score_model, label_model) and metrics the hosted graders take (docs/grader.md §Semantics), as the vendors document
// them — copies in test/fixtures/vendor/openai and vendor/azure, which the tests hold these lists to:
// - OpenAI's graders guide, "Model grader constraints": only the dated snapshots below; `temperature` changes are not
//   supported for reasoning models, `reasoning_effort` not for the others; `cosine` is "only available for evals".
// - Azure OpenAI's RFT guide: two grader models, and no `cosine` among the metrics.
// - openai-python's `ReasoningEffort`: the values sampling_params.reasoning_effort takes.

export const HOSTED_TARGETS = ['openai', 'azure'] as const;
export type HostedTarget = (typeof HOSTED_TARGETS)[number];

export const GRADER_MODELS: Readonly<Record<HostedTarget, readonly string[]>> = {
  openai: [
    'gpt-4o-2024-08-06',
    'gpt-4o-mini-2024-07-18',
    'gpt-4.1-2025-04-14',
    'gpt-4.1-mini-2025-04-14',
    'gpt-4.1-nano-2025-04-14',
    'o1-2024-12-17',
    'o3-mini-2025-01-31',
    'o3-2025-04-16',
    'o4-mini-2025-04-16',
  ],
  azure: ['gpt-4o-2024-08-06', 'o3-mini-2025-01-31'],
};

/** The judge new graders start with: a snapshot both the local client and OpenAI's graders take. */
export const DEFAULT_JUDGE_MODEL = 'gpt-4o-mini-2024-07-18';

export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

const TARGET_LABEL: Record<HostedTarget, string> = { openai: 'OpenAI', azure: 'Azure OpenAI' };

export function targetLabel(target: HostedTarget): string {
  return TARGET_LABEL[target];
}

/** o1, o3, o3-mini, o4-mini and their snapshots: the models that reason before they answer. */
export function isReasoningModel(model: string): boolean {
  return /^o\d/.test(model);
}

/**
 * The one snapshot OpenAI's graders take for an undated alias ("gpt-4o-mini" → "gpt-4o-mini-2024-07-18",
 * "o4-mini" → "o4-mini-2025-04-16"); any other name as it is.
 */
export function pinnedJudgeModel(model: string): string {
  const dated = GRADER_MODELS.openai.filter((listed) => listed.startsWith(`${model}-`) && /^\d{4}-\d{2}-\d{2}$/.test(listed.slice(model.length + 1)));
  return dated.length === 1 ? dated[0] : model;
}

export interface JudgeSettings {
  readonly model: string;
  readonly sampling_params?: { readonly temperature?: number | null; readonly reasoning_effort?: string | null } | null;
}

export interface JudgeProblem {
  /** The judge's field, e.g. "model" or "sampling_params.temperature". */
  readonly field: string;
  readonly message: string;
}

/** What the target's graders refuse in a judge; empty when they take it. */
export function judgeProblems(judge: JudgeSettings, target: HostedTarget): JudgeProblem[] {
  const problems: JudgeProblem[] = [];
  const listed = GRADER_MODELS[target];
  if (!listed.includes(judge.model)) {
    const pinned = pinnedJudgeModel(judge.model);
    const use = pinned !== judge.model && listed.includes(pinned) ? `use the snapshot ${pinned}` : `use one of ${listed.join(', ')}`;
    problems.push({ field: 'model', message: `${TARGET_LABEL[target]}'s graders take no judge model "${judge.model}" (only the dated snapshots its graders guide lists): ${use}` });
  }
  const temperature = judge.sampling_params?.temperature;
  if (isReasoningModel(judge.model) && temperature != null && temperature !== 1) {
    problems.push({ field: 'sampling_params.temperature', message: `${judge.model} is a reasoning model, and the graders support no temperature change for reasoning models: remove temperature` });
  }
  if (!isReasoningModel(judge.model) && judge.sampling_params?.reasoning_effort != null) {
    problems.push({
      field: 'sampling_params.reasoning_effort',
      message: `${judge.model} is not a reasoning model, and the graders support reasoning_effort only for reasoning models (o1, o3, o3-mini, o4-mini): remove reasoning_effort`,
    });
  }
  return problems;
}

/** Why text_similarity with this metric cannot train on the target, or undefined when it can. */
export function metricProblem(metric: string, target: HostedTarget): string | undefined {
  if (metric !== 'cosine') return undefined;
  const why = target === 'openai' ? 'OpenAI offers evaluation_metric cosine only for evals, not for fine-tuning' : "Azure OpenAI's fine-tuning graders have no cosine metric";
  return `${why}: use fuzzy_match, bleu, gleu, meteor or rouge_*, or a score_model judge; TRL and verl score cosine through rft grader serve`;
}
