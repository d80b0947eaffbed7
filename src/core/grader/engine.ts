// The grading engine (docs/grader.md §Where each kind runs): one grader.json scored locally the way OpenAI scores it. Deterministic kinds
// run in TypeScript, `js` in QuickJS, `python` in Pyodide, judges through the given Judge. A grader that fails
// scores 0 with its error; the run goes on.
import type { GradeResult, GraderError, GraderErrorCode, JudgeStep } from './gradeResult';
import { FormulaError, parseFormula, type Formula } from './formula';
import type { Grader, LeafGrader, MultiGrader } from './graderSchema';
import { runJudge, type Judge } from './judge';
import type { GradingPair } from './sample';
import { DEFAULT_SCRIPT_LIMITS, type ScriptLimits, type ScriptOutcome } from './sandbox/scriptLimits';
import { defaultScriptRunners, type ScriptRunners } from './sandbox/scriptRunners';
import { stringCheck } from './stringCheck';
import { renderTemplate, TemplateVariableError } from './template';
import { similarity } from './metrics/textSimilarity';

export type { Judge };

export interface EngineOptions {
  readonly judge?: Judge;
  /** Embeddings for `text_similarity` with `cosine`. */
  readonly embed?: (texts: string[], signal?: AbortSignal) => Promise<number[][]>;
  /** False in an untrusted workspace: script graders and judges do not run. Default true. */
  readonly trusted?: boolean;
  readonly limits?: ScriptLimits;
  /** Where the sandboxes come from (tests may pass their own); loaded lazily on the first script. */
  readonly scripts?: ScriptRunners;
}

export interface GradingEngine {
  /** Scores one pair. The grader must be resolved (`file` references read: graderFile.resolveFiles). */
  grade(grader: Grader, pair: GradingPair, signal?: AbortSignal): Promise<GradeResult>;
  dispose(): Promise<void>;
}

interface LeafOutcome {
  readonly score: number;
  readonly error?: { code: GraderErrorCode; message: string };
  readonly steps?: JudgeStep[];
  readonly label?: string;
  readonly result?: number;
}

export function createGradingEngine(options: EngineOptions = {}): GradingEngine {
  const trusted = options.trusted ?? true;
  const limits = options.limits ?? DEFAULT_SCRIPT_LIMITS;
  let scripts: ScriptRunners | undefined = options.scripts;
  const runners = () => (scripts ??= defaultScriptRunners());

  async function leaf(grader: LeafGrader, pair: GradingPair, signal?: AbortSignal): Promise<LeafOutcome> {
    try {
      switch (grader.type) {
        case 'string_check':
          return { score: stringCheck(grader.operation, renderTemplate(grader.input, pair), renderTemplate(grader.reference, pair)) };
        case 'text_similarity': {
          const [input, reference] = [renderTemplate(grader.input, pair), renderTemplate(grader.reference, pair)];
          if (grader.evaluation_metric !== 'cosine') return { score: similarity(grader.evaluation_metric, input, reference) };
          if (!options.embed) return failed('other_error', 'text_similarity with cosine needs an embeddings model (configure a provider)');
          const [a, b] = await options.embed([input, reference], signal);
          return { score: cosine(a, b) };
        }
        case 'score_model':
        case 'label_model':
          if (!trusted) return failed('untrusted_workspace_error', 'judges do not run in an untrusted workspace');
          if (!options.judge) return failed('model_grader_server_error', `${grader.type} needs a judge model: configure a provider (OPENAI_API_KEY / OPENAI_BASE_URL, or RFT: Set API Key)`);
          return await runJudge(grader, pair, options.judge, signal);
        case 'python':
        case 'js': {
          if (!trusted) return failed('untrusted_workspace_error', 'script graders do not run in an untrusted workspace');
          if (grader.source === undefined) return failed('other_error', `the ${grader.type} grader's file "${grader.file}" was not read`);
          const run = grader.type === 'js' ? runners().js : runners().python;
          return scriptScore(grader.type, await run(grader.source, pair, limits, signal));
        }
      }
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      if (error instanceof TemplateVariableError) return failed('invalid_variable_error', error.message);
      return failed('other_error', (error as Error).message);
    }
  }

  async function multi(grader: MultiGrader, pair: GradingPair, signal?: AbortSignal): Promise<GradeResult> {
    const names = Object.keys(grader.graders);
    const outcomes = await Promise.all(names.map((name) => leaf(grader.graders[name], pair, signal)));
    const sub_rewards = Object.fromEntries(names.map((name, index) => [name, outcomes[index].score]));
    const errors: GraderError[] = outcomes.flatMap((outcome, index) => (outcome.error ? [{ ...outcome.error, grader: names[index] }] : []));
    const details = detailsOf(names, outcomes);
    let reward: number;
    try {
      reward = formulaOf(grader.calculate_output).evaluate(sub_rewards);
    } catch (error) {
      return {
        reward: 0,
        sub_rewards,
        errors: [...errors, { code: 'formula_parse_error', message: error instanceof FormulaError ? error.message : (error as Error).message, grader: grader.name }],
        details,
      };
    }
    if (!Number.isFinite(reward))
      return {
        reward: 0,
        sub_rewards,
        errors: [...errors, { code: 'formula_parse_error', message: `calculate_output gave ${reward} for ${JSON.stringify(sub_rewards)}`, grader: grader.name }],
        details,
      };
    return { reward, sub_rewards, errors, details };
  }

  return {
    async grade(grader, pair, signal) {
      if (grader.type === 'multi') return multi(grader, pair, signal);
      const outcome = await leaf(grader, pair, signal);
      return { reward: outcome.score, sub_rewards: {}, errors: outcome.error ? [{ ...outcome.error, grader: grader.name }] : [], details: detailsOf([grader.name], [outcome]) };
    },
    async dispose() {
      await scripts?.dispose();
    },
  };
}

const formulas = new Map<string, Formula>();

/** Formulas are parsed once per source. */
function formulaOf(source: string): Formula {
  let formula = formulas.get(source);
  if (!formula) {
    formula = parseFormula(source);
    if (formulas.size > 1000) formulas.clear();
    formulas.set(source, formula);
  }
  return formula;
}

function failed(code: GraderErrorCode, message: string): LeafOutcome {
  return { score: 0, error: { code, message } };
}

/** A script's value: a finite number (a bool is not one). js scores are 0..1 (the spec), so they are clamped; python's are OpenAI's: as returned. */
function scriptScore(type: 'js' | 'python', outcome: ScriptOutcome): LeafOutcome {
  if (!outcome.ok) return failed(outcome.code, outcome.message);
  const value = outcome.value;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return failed('invalid_score_error', `grade() returned ${JSON.stringify(value) ?? String(value)}, not a number`);
  }
  if (type === 'js' && (value < 0 || value > 1))
    return { score: Math.min(1, Math.max(0, value)), error: { code: 'invalid_score_error', message: `grade() returned ${value}; scores are 0..1, so it counts as ${value < 0 ? 0 : 1}` } };
  return { score: value };
}

function detailsOf(names: string[], outcomes: LeafOutcome[]): GradeResult['details'] {
  const entries = names.flatMap((name, index) => {
    const { steps, label, result } = outcomes[index];
    return steps || label !== undefined || result !== undefined ? [[name, { steps, label, result }] as const] : [];
  });
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index++) {
    dot += a[index] * b[index];
    normA += a[index] * a[index];
    normB += b[index] * b[index];
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}
