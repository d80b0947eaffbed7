// What one grading returns, shaped like OpenAI's /fine_tuning/alpha/graders/run response: a reward, the
// sub-graders' rewards by name, and the errors met (a grader that fails scores 0; the run goes on).

/**
 * OpenAI's error kinds (graders/run `metadata.errors`), plus ours for the local sandboxes:
 * `js_grader_runtime_error`, `memory_limit_error`, `invalid_score_error` (a script returned something other than
 * a number), `untrusted_workspace_error` (scripts and judges do not run in an untrusted workspace).
 * A time limit reached is OpenAI's `unresponsive_reward_error`.
 */
export const GRADER_ERROR_CODES = [
  'invalid_variable_error',
  'formula_parse_error',
  'sample_parse_error',
  'model_grader_parse_error',
  'model_grader_server_error',
  'model_grader_refusal_error',
  'python_grader_runtime_error',
  'python_grader_server_error',
  'js_grader_runtime_error',
  'unresponsive_reward_error',
  'memory_limit_error',
  'invalid_score_error',
  'untrusted_workspace_error',
  'other_error',
] as const;
export type GraderErrorCode = (typeof GRADER_ERROR_CODES)[number];

export interface GraderError {
  readonly code: GraderErrorCode;
  readonly message: string;
  /** The (sub-)grader's name. */
  readonly grader: string;
}

/** A judge's reasoning, as score_model returns it. */
export interface JudgeStep {
  readonly description: string;
  readonly conclusion: string;
}

export interface GradeResult {
  readonly reward: number;
  readonly sub_rewards: Record<string, number>;
  readonly errors: GraderError[];
  /** The judges' steps by grader name, and label_model's chosen label. */
  readonly details?: Record<string, { steps?: JudgeStep[]; label?: string; result?: number }>;
}

/** "<code>: <message>" for the first error, as `rft grader run --json` prints it; null when there is none. */
export function firstErrorText(result: GradeResult): string | null {
  const first = result.errors[0];
  return first ? `${first.code}: ${first.message}` : null;
}
