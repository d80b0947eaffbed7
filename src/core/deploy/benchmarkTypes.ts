// Benchmarks of step 7 (docs/deploy.md §Benchmarks, issue 14): base vs tuned answering the same prompts, scored by the grader;
// the run file `.rft/runs/benchmark-<time>.json` and the report the CLI prints and the results view shows.
import type { ScoredAnswer } from '../dryrun/answering';
import type { GradingEngine } from '../grader/engine';
import type { Answerer } from '../grader/testSample';
import type { ModelClient } from '../llm/modelClient';
import type { BenchmarkReport } from './benchmarkReportTypes';

export type * from './benchmarkReportTypes';

export type BenchmarkStatus = 'running' | 'complete' | 'cancelled' | 'failed';

/** Where the prompts came from: the split's validation file, a file of records, or the dataset's valid records sampled. */
export type BenchmarkSource =
  { readonly kind: 'valid-split'; readonly file: string } | { readonly kind: 'set'; readonly file: string } | { readonly kind: 'dataset'; readonly n: number; readonly seed: number };

export interface BenchmarkConfig {
  readonly base: string;
  readonly tuned: string;
  readonly source: BenchmarkSource;
  /** At most this many prompts (all when absent). */
  readonly n?: number;
  readonly seed: number;
  readonly resamples: number;
}

/** One prompt answered by both models. */
export interface BenchmarkPair {
  readonly key: string;
  /** Dataset-relative file the record came from and its 1-based line. */
  readonly file: string;
  readonly line: number;
  readonly topic: string;
  /** The last user message's text. */
  readonly prompt: string;
  readonly base: ScoredAnswer;
  readonly tuned: ScoredAnswer;
}

/** The run file: `.rft/runs/benchmark-<time>.json`, never overwritten by another run. */
export interface BenchmarkFile {
  readonly kind: 'benchmark';
  readonly version: 1;
  readonly config: BenchmarkConfig;
  readonly graderHash: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly status: BenchmarkStatus;
  readonly failure?: string;
  /** Planned prompts. */
  readonly planned: number;
  readonly pairs: BenchmarkPair[];
  /** Null while running. */
  readonly report: BenchmarkReport | null;
}

export type BenchmarkProgress =
  | { readonly type: 'plan'; readonly run: string; readonly prompts: number; readonly done: number }
  | { readonly type: 'pair'; readonly pair: BenchmarkPair; readonly done: number; readonly total: number }
  | { readonly type: 'done'; readonly run: string; readonly file: BenchmarkFile };

export interface BenchmarkOptions {
  /** The base model's client (and the judge's). */
  readonly client?: ModelClient;
  /** The tuned model's client when it lives elsewhere (default: `client`). */
  readonly tunedClient?: ModelClient;
  readonly base?: string;
  readonly tuned?: string;
  /** Tests and the playground may answer themselves. */
  readonly answerers?: { readonly base: Answerer; readonly tuned: Answerer };
  /** A JSONL file of records to use instead of the validation split. */
  readonly set?: string;
  readonly n?: number;
  readonly seed?: number;
  readonly resamples?: number;
  /** Finish the newest unfinished benchmark instead of starting one (its config wins). */
  readonly resume?: boolean;
  readonly concurrency?: number;
  readonly temperature?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: BenchmarkProgress) => void;
  readonly engine?: GradingEngine;
}

export interface BenchmarkResult {
  readonly path: string;
  readonly file: BenchmarkFile;
}
