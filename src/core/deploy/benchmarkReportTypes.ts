// A benchmark's report (base vs tuned on the same prompts): means, the paired bootstrap interval, the verdict, by topic,
// and the largest gains and losses. Types only, so the deploy protocol (src/shared/deployProtocol.ts) and the webview
// can import them; benchmarkTypes.ts re-exports them with the run file and options.

/** What a set of scored pairs shows: means, the paired bootstrap 95 % interval of the difference, the verdict. */
export interface BenchmarkFigures {
  /** Pairs where both answers were scored (the others are errors). */
  readonly n: number;
  readonly base: number | null;
  readonly tuned: number | null;
  /** tuned − base. */
  readonly delta: number | null;
  readonly ci: readonly [number, number] | null;
  /**
   * The spec's "+60 % improvement": (tuned mean − base mean) / base mean, so 0.42 → 0.67 is +0.595. Null when the
   * base mean is 0 (no relative change of nothing).
   */
  readonly relativeChange: number | null;
  /** improvement: the interval lies above 0; regression: below 0; otherwise — or with fewer than MIN_VERDICT_PAIRS pairs — no clear change. */
  readonly verdict: BenchmarkVerdict;
}

export type BenchmarkVerdict = 'improvement' | 'regression' | 'no clear change' | 'no data';

export interface BenchmarkTopicFigures extends BenchmarkFigures {
  readonly topic: string;
}

/** A before/after comparison for the results view: one prompt, both answers with their scores. */
export interface BenchmarkSampleComparison {
  readonly key: string;
  readonly file: string;
  readonly line: number;
  readonly topic: string;
  readonly prompt: string;
  readonly base: { readonly response: string | null; readonly score: number };
  readonly tuned: { readonly response: string | null; readonly score: number };
  readonly delta: number;
}

export interface BenchmarkReport {
  readonly overall: BenchmarkFigures;
  /** By topic name (sorted). */
  readonly byTopic: BenchmarkTopicFigures[];
  /** Topics whose interval lies entirely below 0 (the warnings). */
  readonly regressions: string[];
  /** The largest gains and the worst losses (a few each). */
  readonly samples: { readonly gains: BenchmarkSampleComparison[]; readonly losses: BenchmarkSampleComparison[] };
  /** Pairs with an error on either side, and the errors by kind per side. */
  readonly errors: { readonly pairs: number; readonly base: Record<string, number>; readonly tuned: Record<string, number> };
}
