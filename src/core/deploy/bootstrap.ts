// The paired bootstrap (percentile method) of a mean difference: resample the pairs' differences with
// replacement B times, take each resample's mean, and read the interval off the sorted means.
import { seededRandom } from '../random/seededRandom';

export const DEFAULT_RESAMPLES = 10_000;
export const DEFAULT_LEVEL = 0.95;

export interface BootstrapOptions {
  /** B, default 10,000. */
  readonly resamples?: number;
  /** Default 1. */
  readonly seed?: number;
  /** Coverage of the interval, default 0.95 (the 2.5 % and 97.5 % points). */
  readonly level?: number;
}

export interface PairedInterval {
  readonly n: number;
  readonly baseMean: number;
  readonly tunedMean: number;
  /** tunedMean − baseMean (the mean of the differences). */
  readonly delta: number;
  /** The percentile interval of the bootstrap means of the differences. */
  readonly ci: readonly [number, number];
}

/** base[i] and tuned[i] are one prompt's two scores. An empty input has no interval. */
export function pairedBootstrap(base: ArrayLike<number>, tuned: ArrayLike<number>, options: BootstrapOptions = {}): PairedInterval | null {
  const n = base.length;
  if (n !== tuned.length) throw new Error(`paired bootstrap: ${n} base scores but ${tuned.length} tuned scores`);
  if (n === 0) return null;
  const differences = new Float64Array(n);
  let baseSum = 0;
  let tunedSum = 0;
  for (let i = 0; i < n; i++) {
    differences[i] = tuned[i] - base[i];
    baseSum += base[i];
    tunedSum += tuned[i];
  }
  const means = bootstrapMeans(differences, options.resamples ?? DEFAULT_RESAMPLES, options.seed ?? 1);
  const alpha = (1 - (options.level ?? DEFAULT_LEVEL)) / 2;
  return { n, baseMean: baseSum / n, tunedMean: tunedSum / n, delta: (tunedSum - baseSum) / n, ci: [quantileSorted(means, alpha), quantileSorted(means, 1 - alpha)] };
}

/** B resample means of `values`, sorted ascending. */
export function bootstrapMeans(values: Float64Array, resamples: number, seed: number): Float64Array {
  if (!Number.isInteger(resamples) || resamples < 1) throw new Error(`paired bootstrap: resamples must be a whole number ≥ 1, got ${resamples}`);
  const n = values.length;
  const next = seededRandom(seed);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[(next() * n) | 0];
    means[b] = sum / n;
  }
  return means.sort();
}

/** Linear interpolation between order statistics (numpy's default, type 7), as the dry run's percentiles. */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const low = Math.floor(h);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low] + (h - low) * (sorted[high] - sorted[low]);
}
