// The dry run (docs/dry-run.md, step 5): its run file, statistics, decision and progress events, and the signatures of
// what src/core/dryrun exports. This file is the contract between the runner, the CLI and the VS Code layer.
import type { ScoreStats } from '../../shared/dryRunProtocol';
import type { JudgeStep, GraderErrorCode } from '../grader/gradeResult';
import type { ModelClient } from '../llm/modelClient';
import type { Answerer } from '../grader/testSample';
import type { UsageTotals } from '../llm/usage';
import type { GradingEngine } from '../grader/engine';

export type DryRunDecision = 'GO' | 'CAUTION' | 'NO-GO';
export type DryRunStatus = 'running' | 'complete' | 'cancelled' | 'failed';

/** The uncategorized stratum's topic name (records without a label). */
export const UNCATEGORIZED = 'uncategorized';

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

/** A run as listed: file path and its header. */
export interface DryRunSummary {
  readonly path: string;
  readonly startedAt: string;
  readonly status: DryRunStatus;
  readonly decision: DryRunDecision | null;
  readonly model: string;
  readonly mean: number | null;
  readonly std: number | null;
  readonly n: number;
  readonly scored: number;
}

export type DryRunProgress =
  | { readonly type: 'plan'; readonly run: string; readonly prompts: number; readonly samples: number; readonly done: number; readonly byTopic: Record<string, number>; readonly estimate: CostEstimate }
  | { readonly type: 'sample'; readonly sample: DryRunSample; readonly done: number; readonly total: number; readonly histogram: number[]; readonly doneByTopic: Record<string, number> }
  | { readonly type: 'batch'; readonly batchId: string; readonly status: string; readonly completed: number; readonly total: number }
  | { readonly type: 'done'; readonly run: string; readonly file: DryRunFile };

export interface CostEstimate {
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Null: "unknown price" for this model. */
  readonly costUsd: number | null;
  readonly model: string;
  readonly batch: boolean;
}

export interface DryRunOptions {
  /** The client layer (needed for --batch and for the default answerer and judge). */
  readonly client?: ModelClient;
  /** Who answers the prompts; default modelAnswerer(client, model). */
  readonly answerer?: Answerer;
  readonly model?: string;
  /** Default 300. */
  readonly n?: number;
  /** Default 1. */
  readonly samplesPerPrompt?: number;
  /** Default 1. */
  readonly seed?: number;
  readonly batch?: boolean;
  /** Finish the newest unfinished run instead of starting one (its config wins). */
  readonly resume?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: DryRunProgress) => void;
  /** Batch API poll interval in ms (default 5000). */
  readonly pollMs?: number;
  /** Temperature for the answers (default: the model's; 1 is what RFT samples at). */
  readonly temperature?: number;
  /** Answers in flight at once (the client's own bound applies too); default 32. */
  readonly concurrency?: number;
  /** The grading engine (default: createGradingEngine with the client's judge). */
  readonly engine?: GradingEngine;
}

export interface DryRunResult {
  readonly path: string;
  readonly file: DryRunFile;
}

export interface DryRunComparison {
  readonly a: DryRunSummary;
  readonly b: DryRunSummary;
  readonly decision: { readonly a: DryRunDecision | null; readonly b: DryRunDecision | null };
  /** b − a for each numeric stat. */
  readonly stats: Record<'mean' | 'std' | 'p10' | 'p50' | 'p90' | 'shareAboveZero' | 'shareOne' | 'errorShare', { a: number | null; b: number | null; delta: number | null }>;
  readonly byTopic: { readonly topic: string; readonly a: number | null; readonly b: number | null; readonly delta: number | null; readonly nA: number; readonly nB: number }[];
}

/** The functions src/core/dryrun/index.ts exports (typed here so the VS Code layer can code against them now). */
export interface DryRunApi {
  runDryRun(dir: string, options: DryRunOptions): Promise<DryRunResult>;
  /** A run file (a crashed/unfinished run's samples merged from its `.samples.jsonl`), stats recomputed when unfinished. */
  readRun(file: string): Promise<DryRunFile>;
  /** The dataset's runs, newest first. */
  listRuns(dir: string): Promise<DryRunSummary[]>;
  compareRuns(a: DryRunFile, b: DryRunFile): DryRunComparison;
}

export type { UsageTotals, GraderErrorCode };
