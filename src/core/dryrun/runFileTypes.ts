// The dry run's run file (`.rft/runs/dryrun-<time>.json`): its config, samples, statistics, decision, reasons and
// diagnosis. Types only, so the dry-run protocol (src/shared/dryRunProtocol.ts) and the webview can import them;
// dryRunTypes.ts re-exports them with the runner's options and API.
import type { JudgeStep } from '../grader/gradeResult';

export type DryRunDecision = 'GO' | 'CAUTION' | 'NO-GO';
export type DryRunStatus = 'running' | 'complete' | 'cancelled' | 'failed';

export interface DryRunConfig {
  /** Prompts asked for (the sample may be smaller when the dataset is). */
  readonly n: number;
  readonly model: string;
  /** K answers per prompt. */
  readonly samplesPerPrompt: number;
  readonly seed: number;
  /** Through the OpenAI Batch API. */
  readonly batch: boolean;
}

/** One base-model answer to one prompt, scored. */
export interface DryRunSample {
  /** The record key (16 hex). */
  readonly key: string;
  /** Dataset-relative path of the records file ("records.jsonl"). */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** Leaf path "parent/leaf", or UNCATEGORIZED. */
  readonly topic: string;
  /** The last user message's text. */
  readonly prompt: string;
  /** 0-based index among the K answers of this prompt. */
  readonly sampleIndex: number;
  /** The answer's text (tool calls appended as JSON); null when the model call failed. */
  readonly response: string | null;
  /** The grader's reward; null when the sample is an error (model call failed or the grader errored). */
  readonly score: number | null;
  readonly sub_rewards: Record<string, number>;
  /** The judges' reasoning by grader name. */
  readonly details: Record<string, { steps?: JudgeStep[]; label?: string; result?: number }>;
  /** "<kind>: <message>"; kind is a GraderErrorCode or a model error kind (ModelErrorKind). */
  readonly error: string | null;
  /** Tokens of this answer (0 when unknown). */
  readonly tokens?: { readonly prompt: number; readonly completion: number };
}

/** Model-side error kinds a sample may carry (grader errors use GraderErrorCode). */
export type ModelErrorKind = 'model_rate_limited' | 'model_server_error' | 'model_timeout' | 'model_malformed_response' | 'model_error' | 'batch_error';

export interface DryRunTopicStats {
  readonly topic: string;
  /** Scored samples. */
  readonly n: number;
  readonly mean: number | null;
  /** 'too hard' (mean < 0.1), 'too easy' (mean > 0.9), 'ok'. */
  readonly rating: 'too hard' | 'too easy' | 'ok' | 'no data';
}

/** A dry run's score statistics (DryRunStats extends them, the panel shows them); a statistic is null when no sample was scored. */
export interface ScoreStats {
  /** Samples planned (prompts × samples per prompt). */
  readonly n: number;
  /** Prompts in the sample. */
  readonly prompts: number;
  /** Samples with a score. */
  readonly scored: number;
  /** Samples with an error (model or grader). */
  readonly errors: number;
  /** Errors by kind ("model_rate_limited", "invalid_variable_error", …). */
  readonly errorsByKind: Readonly<Record<string, number>>;
  /** errors / (scored + errors); 0 when nothing ran. */
  readonly errorShare: number;
  readonly mean: number | null;
  /** Population standard deviation. */
  readonly std: number | null;
  readonly min: number | null;
  readonly max: number | null;
  /** Percentiles by linear interpolation between closest ranks (type 7, numpy's default). */
  readonly p10: number | null;
  readonly p50: number | null;
  readonly p90: number | null;
  readonly shareAboveZero: number | null;
  readonly shareOne: number | null;
  /** 10 bins over [0, 1]: [0, 0.1), …, [0.9, 1.0]; scores outside are clamped into the end bins. */
  readonly histogram: readonly number[];
  /** K ≥ 2: share of prompts (with ≥ 2 scored answers) whose scores are all equal (no GRPO gradient); null for K = 1. */
  readonly zeroVarianceShare: number | null;
  /** K ≥ 2: mean of the within-prompt population std; null for K = 1. */
  readonly meanWithinPromptStd: number | null;
}

export interface DryRunStats extends ScoreStats {
  /** Grader-scored references of the sampled prompts (records with a reference): mean, count. */
  readonly referenceMean: number | null;
  readonly referenceCount: number;
  /** Tokens and cost of the model answers (cost null when the price is unknown). */
  readonly usage: { readonly promptTokens: number; readonly completionTokens: number; readonly costUsd: number | null };
}

/** The run file: `.rft/runs/dryrun-<time>.json`, never overwritten by another run. */
export interface DryRunFile {
  readonly kind: 'dryrun';
  readonly version: 1;
  readonly config: DryRunConfig;
  readonly model: string;
  /** sha256 (hex) of grader.json's resolved grader. */
  readonly graderHash: string;
  /** sha256 (hex) over the valid records' keys in file order: a changed dataset has another. */
  readonly recordsFingerprint: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly status: DryRunStatus;
  /** Why a run failed. */
  readonly failure?: string;
  readonly samples: DryRunSample[];
  readonly stats: DryRunStats;
  /** Null while running. */
  readonly decision: DryRunDecision | null;
  /** Each names the metric, its value and the threshold (the text of `reasonItems`, as the CLI prints it). */
  readonly reasons: string[];
  /** The text of `diagnosisItems`. */
  readonly diagnosis: string[];
  /** The reasons as data (absent in run files written before they were kept). */
  readonly reasonItems?: DryRunReason[];
  /** The diagnosis as data (absent in run files written before it was kept). */
  readonly diagnosisItems?: DryRunDiagnosis[];
  readonly byTopic: DryRunTopicStats[];
  /** Scores of the references of sampled prompts, by record key (what the diagnosis compares to). */
  readonly references?: Record<string, number>;
  /** Mean score of the empty answer on the sampled prompts with a reference (the control for "too lenient"). */
  readonly emptyControlMean?: number | null;
  /** With --batch: the Batch API batch this run waits for (a resumed run polls the same one). */
  readonly batch?: { readonly id: string; readonly inputFileId: string };
}

/** The metrics a reason rates: the docs/dry-run.md §Decision table, the error share, zero-variance prompts, or nothing scored. */
export type DryRunReasonMetric = 'mean' | 'shareAboveZero' | 'std' | 'errorShare' | 'zeroVarianceShare' | 'scored';

/** One reason of the decision: a metric, its value, the threshold it was held to and the verdict it gives. */
export interface DryRunReason {
  readonly metric: DryRunReasonMetric;
  readonly value: number;
  /** The bound the value passed or missed: GO's for GO, CAUTION's for NO-GO and for CAUTION (the band's lower end). */
  readonly threshold: number;
  readonly level: DryRunDecision;
  /** "mean 0.45 > 0.2 (GO)". */
  readonly text: string;
}

/** What a diagnosis entry says (the spec's matrix, made measurable). */
export type DryRunDiagnosisKind =
  | 'nothing_scored'
  /** Mean < 0.1 and no references to tell too hard from too strict. */
  | 'too_hard_or_strict'
  | 'too_hard'
  | 'too_strict'
  | 'too_easy'
  | 'too_lenient'
  | 'flat'
  | 'bimodal'
  | 'errors'
  | 'zero_variance'
  /** Per topic: the topics with mean < 0.1 (`topics`). */
  | 'topics_too_hard'
  /** Per topic: the topics with mean > 0.9 (`topics`). */
  | 'topics_too_easy';

/** What answers a diagnosis entry: the grader editor, the dataset, or running again. */
export type DryRunDiagnosisAction = 'adjustGrader' | 'reviewDataset' | 'rerun';

export interface DryRunDiagnosis {
  readonly kind: DryRunDiagnosisKind;
  readonly text: string;
  readonly actions?: readonly DryRunDiagnosisAction[];
  /** topics_too_hard / topics_too_easy: the topics named. */
  readonly topics?: readonly string[];
}
