// The benchmark's figures from its pairs: overall and per topic, the paired bootstrap interval, the verdicts.
import { pairedBootstrap, DEFAULT_RESAMPLES } from './bootstrap';
import type { BenchmarkFigures, BenchmarkPair, BenchmarkReport, BenchmarkSampleComparison, BenchmarkTopicFigures, BenchmarkVerdict } from './benchmarkTypes';

/** Gains and losses shown side by side. */
export const SAMPLE_COUNT = 3;

export function benchmarkReport(pairs: readonly BenchmarkPair[], options: { resamples?: number; seed?: number } = {}): BenchmarkReport {
  const scored = pairs.filter(isScored);
  const overall = figures(scored, options);
  const topics = [...new Set(pairs.map((pair) => pair.topic))].sort();
  const byTopic: BenchmarkTopicFigures[] = topics.map((topic) => ({
    topic,
    ...figures(
      scored.filter((pair) => pair.topic === topic),
      options,
    ),
  }));
  const comparisons = scored.map(comparisonOf);
  const gains = comparisons
    .filter((c) => c.delta > 0)
    .sort((a, b) => b.delta - a.delta)
    .slice(0, SAMPLE_COUNT);
  const losses = comparisons
    .filter((c) => c.delta < 0)
    .sort((a, b) => a.delta - b.delta)
    .slice(0, SAMPLE_COUNT);
  return { overall, byTopic, regressions: byTopic.filter((t) => t.verdict === 'regression').map((t) => t.topic), samples: { gains, losses }, errors: errorCounts(pairs) };
}

type ScoredPair = BenchmarkPair & { base: { score: number }; tuned: { score: number } };

const isScored = (pair: BenchmarkPair): pair is ScoredPair => pair.base.score !== null && pair.tuned.score !== null && pair.base.error === null && pair.tuned.error === null;

function figures(pairs: readonly ScoredPair[], options: { resamples?: number; seed?: number }): BenchmarkFigures {
  const base = Float64Array.from(pairs, (pair) => pair.base.score);
  const tuned = Float64Array.from(pairs, (pair) => pair.tuned.score);
  const interval = pairedBootstrap(base, tuned, { resamples: options.resamples ?? DEFAULT_RESAMPLES, seed: options.seed ?? 1 });
  if (!interval) return { n: 0, base: null, tuned: null, delta: null, ci: null, relativeChange: null, verdict: 'no data' };
  return {
    n: interval.n,
    base: interval.baseMean,
    tuned: interval.tunedMean,
    delta: interval.delta,
    ci: interval.ci,
    relativeChange: relativeChange(interval.baseMean, interval.tunedMean),
    verdict: verdictOf(interval.ci, interval.n),
  };
}

/** (tuned − base) / base; null when base is 0. */
export function relativeChange(base: number, tuned: number): number | null {
  return base === 0 ? null : (tuned - base) / base;
}

/**
 * Fewer pairs than this never make a verdict: the percentile bootstrap of one or a few pairs gives an interval
 * of (nearly) zero width, which would call a single lucky answer an improvement or a regression.
 */
export const MIN_VERDICT_PAIRS = 5;

export function verdictOf(ci: readonly [number, number] | null, n: number): BenchmarkVerdict {
  if (!ci) return 'no data';
  if (n < MIN_VERDICT_PAIRS) return 'no clear change';
  if (ci[1] < 0) return 'regression';
  if (ci[0] > 0) return 'improvement';
  return 'no clear change';
}

function comparisonOf(pair: ScoredPair): BenchmarkSampleComparison {
  return {
    key: pair.key,
    file: pair.file,
    line: pair.line,
    topic: pair.topic,
    prompt: pair.prompt,
    base: { response: pair.base.response, score: pair.base.score },
    tuned: { response: pair.tuned.response, score: pair.tuned.score },
    delta: pair.tuned.score - pair.base.score,
  };
}

function errorCounts(pairs: readonly BenchmarkPair[]): BenchmarkReport['errors'] {
  const base: Record<string, number> = {};
  const tuned: Record<string, number> = {};
  let failed = 0;
  for (const pair of pairs) {
    if (isScored(pair)) continue;
    failed++;
    for (const [side, counts] of [
      [pair.base, base],
      [pair.tuned, tuned],
    ] as const) {
      if (side.error) {
        const kind = side.error.split(':')[0];
        counts[kind] = (counts[kind] ?? 0) + 1;
      }
    }
  }
  return { pairs: failed, base, tuned };
}
