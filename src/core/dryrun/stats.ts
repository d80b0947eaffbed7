// The dry run's statistics, decision and diagnosis (docs/dry-run.md, issue 11 §3–4). Pure functions over samples.
import type { DryRunDecision, DryRunDiagnosis, DryRunDiagnosisAction, DryRunDiagnosisKind, DryRunReason, DryRunReasonMetric, DryRunSample, DryRunStats, DryRunTopicStats } from './dryRunTypes';

/** docs/dry-run.md §Decision: GO above `go`, CAUTION from `caution` to `go` (both ends included), NO-GO below `caution`. */
export const THRESHOLDS = {
  mean: { go: 0.2, caution: 0.1 },
  shareAboveZero: { go: 0.7, caution: 0.5 },
  std: { go: 0.1, caution: 0.05 },
} as const;
/** Grader/model errors above this share: CAUTION. */
export const ERROR_SHARE_CAUTION = 0.05;
/** K ≥ 2: more than this share of prompts with all-equal scores: CAUTION. */
export const ZERO_VARIANCE_CAUTION = 0.5;
/** Scores at exactly 0 or 1 from this share up, with both present: bimodal. */
export const BIMODAL_SHARE = 0.95;
export const TOPIC_TOO_HARD = 0.1;
export const TOPIC_TOO_EASY = 0.9;

export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Population standard deviation (divides by n). */
export function populationStd(values: readonly number[]): number | null {
  const m = mean(values);
  if (m === null) return null;
  return Math.sqrt(values.reduce((sum, value) => sum + (value - m) ** 2, 0) / values.length);
}

/** Percentile by linear interpolation between closest ranks: h = (n − 1)·p, Hyndman–Fan type 7 (numpy's default). */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * p;
  const low = Math.floor(h);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low] + (h - low) * (sorted[high] - sorted[low]);
}

/** 10 bins over [0, 1]: bin i holds [i/10, (i+1)/10), the last also 1.0; out-of-range scores go to the end bins. */
export function histogram(values: readonly number[]): number[] {
  const bins = new Array<number>(10).fill(0);
  for (const value of values) bins[binOf(value)]++;
  return bins;
}

export function binOf(value: number): number {
  // round first so 0.3 (0.30000000000000004 × 10) lands where a reader expects
  return Math.max(0, Math.min(9, Math.floor(Math.round(value * 1e9) / 1e8)));
}

export function errorKind(error: string): string {
  const colon = error.indexOf(':');
  return colon < 0 ? error : error.slice(0, colon);
}

export interface StatsInput {
  readonly samples: readonly DryRunSample[];
  /** Samples planned. */
  readonly planned: number;
  readonly prompts: number;
  readonly samplesPerPrompt: number;
  readonly references?: Readonly<Record<string, number>>;
  readonly costUsd?: number | null;
}

export function computeStats(input: StatsInput): DryRunStats {
  const scores: number[] = [];
  const errorsByKind: Record<string, number> = {};
  let promptTokens = 0;
  let completionTokens = 0;
  for (const sample of input.samples) {
    if (sample.error !== null || sample.score === null) {
      const kind = errorKind(sample.error ?? 'other_error');
      errorsByKind[kind] = (errorsByKind[kind] ?? 0) + 1;
    } else scores.push(sample.score);
    promptTokens += sample.tokens?.prompt ?? 0;
    completionTokens += sample.tokens?.completion ?? 0;
  }
  const errors = input.samples.length - scores.length;
  const sorted = [...scores].sort((a, b) => a - b);
  const within = input.samplesPerPrompt >= 2 ? withinPrompt(input.samples) : undefined;
  const references = Object.values(input.references ?? {});
  return {
    n: input.planned,
    prompts: input.prompts,
    scored: scores.length,
    errors,
    errorsByKind,
    errorShare: input.samples.length === 0 ? 0 : errors / input.samples.length,
    mean: mean(scores),
    std: populationStd(scores),
    min: sorted.length ? sorted[0] : null,
    max: sorted.length ? sorted[sorted.length - 1] : null,
    p10: percentile(sorted, 0.1),
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    shareAboveZero: scores.length ? scores.filter((s) => s > 0).length / scores.length : null,
    shareOne: scores.length ? scores.filter((s) => s >= 1).length / scores.length : null,
    histogram: histogram(scores),
    zeroVarianceShare: within ? within.zeroVarianceShare : null,
    meanWithinPromptStd: within ? within.meanStd : null,
    referenceMean: mean(references),
    referenceCount: references.length,
    usage: { promptTokens, completionTokens, costUsd: input.costUsd ?? null },
  };
}

/** Over prompts with ≥ 2 scored answers: the share whose scores are all equal, and the mean within-prompt std. */
function withinPrompt(samples: readonly DryRunSample[]): { zeroVarianceShare: number | null; meanStd: number | null } {
  const byPrompt = new Map<string, number[]>();
  for (const sample of samples) {
    if (sample.error !== null || sample.score === null) continue;
    let list = byPrompt.get(sample.key);
    if (!list) byPrompt.set(sample.key, (list = []));
    list.push(sample.score);
  }
  const groups = [...byPrompt.values()].filter((scores) => scores.length >= 2);
  if (groups.length === 0) return { zeroVarianceShare: null, meanStd: null };
  const stds = groups.map((scores) => populationStd(scores)!);
  return { zeroVarianceShare: groups.filter((scores) => scores.every((s) => s === scores[0])).length / groups.length, meanStd: mean(stds) };
}

export function topicStats(samples: readonly DryRunSample[]): DryRunTopicStats[] {
  const byTopic = new Map<string, number[]>();
  for (const sample of samples) {
    let list = byTopic.get(sample.topic);
    if (!list) byTopic.set(sample.topic, (list = []));
    if (sample.error === null && sample.score !== null) list.push(sample.score);
  }
  return [...byTopic.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([topic, scores]) => {
      const m = mean(scores);
      return { topic, n: scores.length, mean: m, rating: m === null ? 'no data' : m < TOPIC_TOO_HARD ? 'too hard' : m > TOPIC_TOO_EASY ? 'too easy' : 'ok' };
    });
}

const RANK: Record<DryRunDecision, number> = { GO: 0, CAUTION: 1, 'NO-GO': 2 };
const fmt = (value: number) => (Math.round(value * 10000) / 10000).toString();
const pct = (share: number) => `${Math.round(share * 1000) / 10} %`;

/** The docs/dry-run.md §Decision table, worst metric decides; errors > 5 % and mostly-zero-variance prompts are CAUTION at least. `reasons` are the items' texts. */
export function decide(stats: DryRunStats): { decision: DryRunDecision; reasons: string[]; items: DryRunReason[] } {
  if (stats.scored === 0 || stats.mean === null || stats.std === null || stats.shareAboveZero === null) {
    const item: DryRunReason = { metric: 'scored', value: 0, threshold: 1, level: 'NO-GO', text: `no sample was scored (${stats.errors} errors of ${stats.n} planned)` };
    return { decision: 'NO-GO', reasons: [item.text], items: [item] };
  }
  const verdicts: DryRunReason[] = [
    rate('mean', 'mean', stats.mean, THRESHOLDS.mean, fmt),
    rate('shareAboveZero', 'share of scores > 0', stats.shareAboveZero, THRESHOLDS.shareAboveZero, pct),
    rate('std', 'std', stats.std, THRESHOLDS.std, fmt),
  ];
  if (stats.errorShare > ERROR_SHARE_CAUTION) {
    const top = Object.entries(stats.errorsByKind).sort((a, b) => b[1] - a[1])[0];
    verdicts.push({
      metric: 'errorShare',
      value: stats.errorShare,
      threshold: ERROR_SHARE_CAUTION,
      level: 'CAUTION',
      text: `errors ${pct(stats.errorShare)} > ${pct(ERROR_SHARE_CAUTION)} (CAUTION; mostly ${top[0]}: ${top[1]})`,
    });
  }
  if (stats.zeroVarianceShare !== null && stats.zeroVarianceShare > ZERO_VARIANCE_CAUTION) {
    verdicts.push({
      metric: 'zeroVarianceShare',
      value: stats.zeroVarianceShare,
      threshold: ZERO_VARIANCE_CAUTION,
      level: 'CAUTION',
      text: `prompts with zero reward variance ${pct(stats.zeroVarianceShare)} > ${pct(ZERO_VARIANCE_CAUTION)} (CAUTION)`,
    });
  }
  const decision = verdicts.reduce<DryRunDecision>((worst, v) => (RANK[v.level] > RANK[worst] ? v.level : worst), 'GO');
  const items = [...verdicts].sort((a, b) => RANK[b.level] - RANK[a.level]);
  return { decision, reasons: items.map((v) => v.text), items };
}

function rate(metric: DryRunReasonMetric, name: string, value: number, t: { go: number; caution: number }, show: (v: number) => string): DryRunReason {
  if (value > t.go) return { metric, value, threshold: t.go, level: 'GO', text: `${name} ${show(value)} > ${show(t.go)} (GO)` };
  if (value >= t.caution) return { metric, value, threshold: t.caution, level: 'CAUTION', text: `${name} ${show(value)} within ${show(t.caution)}–${show(t.go)} (CAUTION)` };
  return { metric, value, threshold: t.caution, level: 'NO-GO', text: `${name} ${show(value)} < ${show(t.caution)} (NO-GO)` };
}

export interface DiagnosisInput {
  readonly stats: DryRunStats;
  readonly byTopic: readonly DryRunTopicStats[];
  /** Mean score of the empty answer (a control) on the sampled prompts; null when not measured. */
  readonly emptyControlMean?: number | null;
}

/** The diagnosis as text (the CLI's lines): the texts of diagnoseItems. */
export function diagnose(input: DiagnosisInput): string[] {
  return diagnoseItems(input).map((item) => item.text);
}

/** The spec's diagnosis matrix, measured: references tell "too hard" from "too strict", controls "too easy" from "too lenient". */
export function diagnoseItems(input: DiagnosisInput): DryRunDiagnosis[] {
  const { stats } = input;
  const out: DryRunDiagnosis[] = [];
  const add = (kind: DryRunDiagnosisKind, text: string, actions: readonly DryRunDiagnosisAction[], topics?: readonly string[]) => out.push({ kind, text, actions, ...(topics ? { topics } : {}) });
  if (stats.mean === null) return [{ kind: 'nothing_scored', text: 'Nothing was scored: check the model connection and the grader (see the errors).', actions: ['adjustGrader', 'rerun'] }];
  const refs = stats.referenceMean;
  if (stats.mean < THRESHOLDS.mean.caution) {
    if (refs === null)
      add(
        'too_hard_or_strict',
        `Mean ${fmt(stats.mean)} < 0.1: the prompts are too hard for the base model or the grader is too strict; add reference answers to tell which (Adjust Grader / Review Dataset).`,
        ['adjustGrader', 'reviewDataset'],
      );
    else if (refs >= 0.5) add('too_hard', `Prompts too hard: the base model scores ${fmt(stats.mean)} while the references score ${fmt(refs)} — use SFT first, then RFT.`, ['reviewDataset']);
    else add('too_strict', `Grader too strict: the references score ${fmt(refs)} too (base model ${fmt(stats.mean)}) — Adjust Grader.`, ['adjustGrader']);
  }
  if (stats.mean > 0.9) {
    const empty = input.emptyControlMean ?? null;
    if (empty !== null && empty >= 0.5) add('too_lenient', `Grader too lenient: an empty answer scores ${fmt(empty)} (base model ${fmt(stats.mean)}) — Adjust Grader.`, ['adjustGrader']);
    else add('too_easy', `Too easy: the base model already scores ${fmt(stats.mean)}; RFT has little to learn — add harder prompts (Review Dataset).`, ['reviewDataset']);
  }
  if (stats.std !== null && stats.std < 0.1)
    add('flat', `Flat scores: std ${fmt(stats.std)} < 0.1 — the grader cannot tell answers apart; give partial credit or sharper criteria (Adjust Grader).`, ['adjustGrader']);
  const scored = stats.scored;
  const atOne = stats.shareOne === null ? 0 : Math.round(stats.shareOne * scored);
  const zeros = stats.shareAboveZero === null ? 0 : Math.round((1 - stats.shareAboveZero) * scored);
  if (scored > 0 && (zeros + atOne) / scored >= BIMODAL_SHARE && zeros > 0 && atOne > 0) {
    add(
      'bimodal',
      `Bimodal: the scores sit at 0 or 1 (${pct(zeros / scored)} at 0, ${pct(atOne / scored)} at 1) — add partial credit (a multi grader or a similarity metric) so RFT can tell better from worse.`,
      ['adjustGrader'],
    );
  }
  if (stats.errorShare > ERROR_SHARE_CAUTION) {
    const kinds = Object.entries(stats.errorsByKind)
      .sort((a, b) => b[1] - a[1])
      .map(([kind, count]) => `${kind} ${count}`)
      .join(', ');
    const modelSide = /^model_|^batch_/.test(Object.keys(stats.errorsByKind)[0] ?? '');
    add(
      'errors',
      `Errors on ${pct(stats.errorShare)} of samples (${kinds}) — ${modelSide ? 'check the model connection and re-run' : 'fix the grader for these samples'}.`,
      modelSide ? ['rerun'] : ['adjustGrader'],
    );
  }
  if (stats.zeroVarianceShare !== null && stats.zeroVarianceShare > ZERO_VARIANCE_CAUTION) {
    add('zero_variance', `${pct(stats.zeroVarianceShare)} of prompts got the same score on every answer: GRPO gets no gradient from them (TRL's frac_reward_zero_std).`, [
      'adjustGrader',
      'reviewDataset',
    ]);
  }
  const hard = input.byTopic.filter((t) => t.rating === 'too hard');
  const easy = input.byTopic.filter((t) => t.rating === 'too easy');
  const named = (topics: readonly DryRunTopicStats[]) => topics.map((t) => `${t.topic} (${fmt(t.mean!)})`).join(', ');
  if (hard.length)
    add(
      'topics_too_hard',
      `Too hard (mean < 0.1): ${named(hard)}.`,
      ['reviewDataset'],
      hard.map((t) => t.topic),
    );
  if (easy.length)
    add(
      'topics_too_easy',
      `Too easy (mean > 0.9): ${named(easy)}.`,
      ['reviewDataset'],
      easy.map((t) => t.topic),
    );
  return out;
}
