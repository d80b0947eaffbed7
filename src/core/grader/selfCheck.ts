// The grader self-check (ours): before anyone pays for a dry run, score the reference answers and controls that
// a sound grader must score lower — the empty answer, another record's reference, the reference padded with filler
// — and report how well it separates them (AUC) with a verdict.
import { forEachValidRecord } from '../dataset/validRecords';
import { SeededSample } from '../random/seededSample';
import type { GradingEngine } from './engine';
import type { GradeResult, GraderErrorCode } from './gradeResult';
import type { Grader } from './graderSchema';
import { itemOf, referenceSample } from './pairs';
import type { Sample } from './sample';
import type { ScoreSummary, SelfCheckReport } from './selfCheckTypes';

export type { ScoreSummary, SelfCheckReport };

export interface SelfCheckOptions {
  readonly engine: GradingEngine;
  readonly grader: Grader;
  /** Records with a reference to use (a seeded sample of them); default 50. */
  readonly limit?: number;
  readonly seed?: number;
  readonly signal?: AbortSignal;
}

const FILLER =
  ' In addition, please note that this answer has been provided for your convenience, and further details may be available on request. Thank you for your patience and for choosing our service.';

export async function selfCheck(dir: string, options: SelfCheckOptions): Promise<SelfCheckReport> {
  const chosen = new SeededSample<Record<string, unknown>>(options.limit ?? 50, options.seed ?? 7);
  await forEachValidRecord(
    dir,
    (record) => {
      if (referenceSample(record.record)) chosen.add(record.record);
    },
    { signal: options.signal },
  );
  const records = chosen.items();
  if (records.length === 0) return noReferences();
  const errors: Partial<Record<GraderErrorCode, number>> = {};
  let firstError: string | undefined;
  const count = (result: GradeResult) => {
    for (const error of result.errors) errors[error.code] = (errors[error.code] ?? 0) + 1;
    if (result.errors[0]) firstError ??= `${result.errors[0].code}: ${result.errors[0].message}`;
  };
  const score = async (record: Record<string, unknown>, sample: Sample) => {
    const result = await options.engine.grade(options.grader, { item: itemOf(record), sample }, options.signal);
    count(result);
    return result.reward;
  };
  const scored = await Promise.all(
    records.map(async (record) => ({ record, result: await options.engine.grade(options.grader, { item: itemOf(record), sample: referenceSample(record)! }, options.signal) })),
  );
  const missing = new Map<string, number>();
  const applicable = scored.filter(({ result }) => {
    const field = missingItemField(result);
    if (field) missing.set(field, (missing.get(field) ?? 0) + 1);
    return !field;
  });
  if (applicable.length === 0) return withMissing(noReferences(), missing, records.length);
  for (const { result } of applicable) count(result);
  const kept = applicable.map(({ record }) => record);
  const references = applicable.map(({ result }) => result.reward);
  const empty = await Promise.all(kept.map((record) => score(record, { output_text: '' })));
  const other = kept.length < 2 ? [] : await Promise.all(kept.map((record, index) => score(record, referenceSample(kept[(index + 1) % kept.length])!)));
  const padded = await Promise.all(kept.map((record) => score(record, padReference(referenceSample(record)!))));
  const calls = kept.length + empty.length + other.length + padded.length;
  return withMissing(verdictOf(references, empty, other, padded, errors, calls, firstError), missing, records.length);
}

/**
 * A record that lacks a field the grader reads (an `invalid_variable_error` on an `item.` path when scoring its
 * reference) is left out of the comparison and reported: it would score 0 in every run.
 */
function missingItemField(result: GradeResult): string | undefined {
  for (const error of result.errors) {
    const field = error.code === 'invalid_variable_error' ? /\{\{\s*(item\.[^}\s]+)/.exec(error.message)?.[1] : undefined;
    if (field) return field;
  }
  return undefined;
}

function withMissing(report: SelfCheckReport, missing: Map<string, number>, total: number): SelfCheckReport {
  if (missing.size === 0) return report;
  const count = [...missing.values()].reduce((a, b) => a + b, 0);
  const fields = [...missing.entries()].map(([field, n]) => `${field} (${n})`).join(', ');
  const finding = `${count} of ${total} records with a reference lack a field the grader reads — ${fields}: they score 0 in every run; give them the field or use a grader that does not need it.`;
  const verdict = report.verdict === 'fail' || count / total > 0.05 ? (report.verdict === 'fail' ? 'fail' : 'warning') : report.verdict;
  return { ...report, notApplicable: count, verdict, findings: [finding, ...report.findings.filter((text) => !text.startsWith('No valid record'))] };
}

function padReference(sample: Sample): Sample {
  const text = sample.output_text || '';
  return { ...sample, output_text: text + FILLER.repeat(Math.max(2, Math.ceil(text.length / FILLER.length) * 2)) };
}

/** Above this share of failed scorings the scores say how the grader fails, not how it grades: no verdict on them. */
const MOSTLY_FAILED = 0.5;

function verdictOf(references: number[], empty: number[], other: number[], padded: number[], errors: Partial<Record<GraderErrorCode, number>>, calls: number, firstError?: string): SelfCheckReport {
  const summary = (scores: number[]): ScoreSummary => ({ n: scores.length, mean: scores.length === 0 ? 0 : round(scores.reduce((a, b) => a + b, 0) / scores.length) });
  const refs = summary(references);
  const controls = { empty: summary(empty), otherRecord: summary(other), padded: summary(padded) };
  const auc = round(areaUnderCurve(references, [...empty, ...other, ...padded]));
  const aucOtherRecord = other.length === 0 ? 0.5 : round(areaUnderCurve(references, other));
  const findings: string[] = [];
  let verdict: SelfCheckReport['verdict'] = 'ok';
  const warn = (text: string) => (findings.push(text), (verdict = verdict === 'fail' ? 'fail' : 'warning'));
  const fail = (text: string) => (findings.push(text), (verdict = 'fail'));
  const errorCount = Object.values(errors).reduce((a, b) => a + (b ?? 0), 0);
  if (errorCount > 0.05 * calls)
    fail(
      `${Math.round((100 * errorCount) / calls)} % of the scorings failed (${Object.entries(errors)
        .map(([code, n]) => `${code} ×${n}`)
        .join(', ')}; first: ${firstError}): fix the grader before a dry run.`,
    );
  if (errorCount > MOSTLY_FAILED * calls) {
    findings.push('The grader could not be checked: with most scorings failed, its scores say nothing about how strict or lenient it is.');
    return { references: refs, controls, auc, aucOtherRecord, errors, verdict, findings };
  }
  if (controls.empty.mean >= 0.2) fail(`The empty answer scores ${controls.empty.mean} on average: the grader gives credit for saying nothing.`);
  if (refs.mean < 0.5) warn(`The reference answers score only ${refs.mean} on average: the grader is strict, or the references are not what it expects.`);
  if (other.length > 0 && aucOtherRecord < 0.6) fail(`The grader cannot tell a record's reference from another record's (AUC ${aucOtherRecord}): it does not look at the content it grades.`);
  else if (other.length > 0 && aucOtherRecord < 0.8) warn(`References beat other records' answers only weakly (AUC ${aucOtherRecord}, other records' answers score ${controls.otherRecord.mean}).`);
  if (controls.padded.mean >= refs.mean && refs.mean > 0) warn(`Padding the reference with filler does not lower its score (${controls.padded.mean} vs ${refs.mean}): length is not penalized.`);
  if (findings.length === 0)
    findings.push(`References score ${refs.mean}, controls lower (empty ${controls.empty.mean}, other record ${controls.otherRecord.mean}, padded ${controls.padded.mean}); AUC ${auc}.`);
  return { references: refs, controls, auc, aucOtherRecord, errors, verdict, findings };
}

/** Mann–Whitney AUC: the share of (positive, negative) pairs where the positive scores higher, ties counted half. */
export function areaUnderCurve(positives: readonly number[], negatives: readonly number[]): number {
  if (positives.length === 0 || negatives.length === 0) return 0.5;
  const sorted = [...negatives].sort((a, b) => a - b);
  let wins = 0;
  for (const value of positives) {
    const below = lowerBound(sorted, value);
    const notAbove = upperBound(sorted, value);
    wins += below + (notAbove - below) / 2;
  }
  return wins / (positives.length * negatives.length);
}

function lowerBound(sorted: readonly number[], value: number): number {
  let [low, high] = [0, sorted.length];
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function upperBound(sorted: readonly number[], value: number): number {
  let [low, high] = [0, sorted.length];
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function noReferences(): SelfCheckReport {
  const none = { n: 0, mean: 0 };
  return {
    references: none,
    controls: { empty: none, otherRecord: none, padded: none },
    auc: 0.5,
    aucOtherRecord: 0.5,
    errors: {},
    verdict: 'warning',
    findings: ['No valid record has a reference_answer or reference_tool_calls, so the grader cannot be checked against references.'],
  };
}

const round = (value: number) => Math.round(value * 1000) / 1000;
