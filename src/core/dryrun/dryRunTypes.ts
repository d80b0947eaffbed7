// The dry run (docs/dry-run.md, step 5): its run file, statistics, decision and progress events, and the signatures of
// what src/core/dryrun exports. This file is the contract between the runner, the CLI and the VS Code layer.
import type { GraderErrorCode } from '../grader/gradeResult';
import type { ModelClient } from '../llm/modelClient';
import type { Answerer } from '../grader/testSample';
import type { UsageTotals } from '../llm/usage';
import type { GradingEngine } from '../grader/engine';
import type { DryRunDecision, DryRunFile, DryRunSample, DryRunStatus } from './runFileTypes';

export type * from './runFileTypes';

/** The uncategorized stratum's topic name (records without a label). */
export const UNCATEGORIZED = 'uncategorized';

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
  | {
      readonly type: 'plan';
      readonly run: string;
      readonly prompts: number;
      readonly samples: number;
      readonly done: number;
      readonly byTopic: Record<string, number>;
      readonly estimate: CostEstimate;
    }
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
