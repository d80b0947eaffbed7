// Generation (docs/topics.md §Generation, the spec's "Generate Samples"): what to generate, the loop's progress events and its
// result. This file is the contract between the loop (src/core/generate), the CLI (`rft generate`) and the
// VS Code layer (generation panel); the `--json` shape of `rft generate` is GenerateResult verbatim.
import type { ModelClient } from '../llm/modelClient';
import type { GenerateEstimate, GenerateProgress, GenerateResult, GenerateTarget, Strategy } from './generateRunTypes';

export * from './generateRunTypes';

export interface GenerateOptions {
  readonly client: ModelClient;
  readonly model: string;
  readonly strategy?: Strategy;
  /** For `variations`: the record key (16 hex) to vary; default: records of the topic in turn. */
  readonly seedRecordKey?: string;
  readonly seed?: number;
  /** Keep a record placed in another topic (labelled with its real topic) instead of rejecting it. */
  readonly keepOffTarget?: boolean;
  /** Budget: model requests in this run (default: 4 × the records asked for / records per request, at least 10). */
  readonly maxRequests?: number;
  /** Budget: tokens (prompt + completion) in this run; default unlimited. */
  readonly maxTokens?: number;
  /** Cosine on the dataset's embedder at or above which a record is a near-duplicate (default 0.9). */
  readonly nearDuplicateThreshold?: number;
  /** Records the model is asked for per request (default 5). */
  readonly perRequest?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: GenerateProgress) => void;
  /** Requests in flight at once (default 4; the client bounds it too). */
  readonly concurrency?: number;
  /**
   * Keep these targets as the plan in `.rft/generation.json`; when the same plan (targets, strategy, model) was left
   * unfinished, ask only for what is left of it (`rft generate --topic … --count …`). Off for --fill-gaps, whose
   * gaps are recomputed from coverage anyway.
   */
  readonly continuePlan?: boolean;
  /** Requests in a row for one topic that land nothing before the loop gives that topic up (default 3). */
  readonly maxBarrenRequests?: number;
}

/** Signatures src/core/generate/index.ts exports (implemented by the loop). */
export interface GenerateApi {
  /** Targets from coverage gaps (the dashboard's "generate ~N more"), topics with gap 0 left out. */
  gapTargets(datasetDir: string, signal?: AbortSignal): Promise<GenerateTarget[]>;
  estimateGeneration(datasetDir: string, targets: readonly GenerateTarget[], options: { model: string; strategy?: Strategy; perRequest?: number }): Promise<GenerateEstimate>;
  /** Throws NoTopicsError (topics/categorize) when the dataset has no topics yet. */
  generateRecords(datasetDir: string, targets: readonly GenerateTarget[], options: GenerateOptions): Promise<GenerateResult>;
}
