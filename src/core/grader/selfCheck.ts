// The grader self-check (ours): before anyone pays for a dry run, score the reference answers and controls that
// a sound grader must score lower — the empty answer, another record's reference, the reference padded with filler
// — and report how well it separates them (AUC) with a verdict.
import { forEachValidRecord } from '../dataset/validRecords';
import { SeededSample } from '../random/seededSample';
import type { GradingEngine } from './engine';
import type { GraderErrorCode } from './gradeResult';
import type { Grader } from './graderSchema';
import { itemOf, referenceSample } from './pairs';
import type { Sample } from './sample';

export interface ScoreSummary {
  readonly n: number;
  readonly mean: number;
}

export interface SelfCheckReport {
  readonly references: ScoreSummary;
  readonly controls: { readonly empty: ScoreSummary; readonly otherRecord: ScoreSummary; readonly padded: ScoreSummary };
  /** P(a reference scores above a control), ties half: 1 separates perfectly, 0.5 is chance. */
  readonly auc: number;
  /** The same, references vs other records' answers only: can the grader tell answers apart by content? */
  readonly aucOtherRecord: number;
  readonly errors: Partial<Record<GraderErrorCode, number>>;
  readonly verdict: 'ok' | 'warning' | 'fail';
  readonly findings: string[];
}

export interface SelfCheckOptions {
  readonly engine: GradingEngine;
  readonly grader: Grader;
  /** Records with a reference to use (a seeded sample of them); default 50. */
  readonly limit?: number;
  readonly seed?: number;
  readonly signal?: AbortSignal;
}

const FILLER = ' In addition, please note that this answer has been provided for your convenience, and further details may be available on request. Thank you for your patience and for choosing our service.';

export async function selfCheck(dir: string, options: SelfCheckOptions): Promise<SelfCheckReport> {
  const chosen = new SeededSample<Record<string, unknown>>(options.limit ?? 50, options.seed ?? 7);
  await forEachValidRecord(dir, (record) => {
    if (referenceSample(record.record)) chosen.add(record.record);
  }, { signal: options.signal });
  const records = chosen.items();
  if (records.length === 0) return noReferences();
  const errors: Partial<Record<GraderErrorCode, number>> = {};
  const score = async (record: Record<string, unknown>, sample: Sample) => {
    const result = await options.engine.grade(options.grader, { item: itemOf(record), sample }, options.signal);
    for (const error of result.errors) errors[error.code] = (errors[error.code] ?? 0) + 1;
    return result.reward;
  };
  const references = await Promise.all(records.map((record) => score(record, referenceSample(record)!)));
  const empty = await Promise.all(records.map((record) => score(record, { output_text: '' })));
  const other = records.length < 2 ? [] : await Promise.all(records.map((record, index) => score(record, referenceSample(records[(index + 1) % records.length])!)));
  const padded = await Promise.all(records.map((record) => score(record, padReference(referenceSample(record)!))));
  return verdictOf(references, empty, other, padded, errors, records.length * 4);
}

function padReference(sample: Sample): Sample {
  const text = sample.output_text || '';
  return { ...sample, output_text: text + FILLER.repeat(Math.max(2, Math.ceil(text.length / FILLER.length) * 2)) };
}

function verdictOf(references: number[], empty: number[], other: number[], padded: number[], errors: Partial<Record<GraderErrorCode, number>>, calls: number): SelfCheckReport {
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
  if (errorCount > 0.05 * calls) fail(`${Math.round((100 * errorCount) / calls)} % of the scorings failed (${Object.entries(errors).map(([code, n]) => `${code} ×${n}`).join(', ')}): fix the grader before a dry run.`);
  if (controls.empty.mean >= 0.2) fail(`The empty answer scores ${controls.empty.mean} on average: the grader gives credit for saying nothing.`);
  if (refs.mean < 0.5) warn(`The reference answers score only ${refs.mean} on average: the grader is strict, or the references are not what it expects.`);
  if (other.length > 0 && aucOtherRecord < 0.6) fail(`The grader cannot tell a record's reference from another record's (AUC ${aucOtherRecord}): it does not look at the content it grades.`);
  else if (other.length > 0 && aucOtherRecord < 0.8) warn(`References beat other records' answers only weakly (AUC ${aucOtherRecord}, other records' answers score ${controls.otherRecord.mean}).`);
  if (controls.padded.mean >= refs.mean && refs.mean > 0) warn(`Padding the reference with filler does not lower its score (${controls.padded.mean} vs ${refs.mean}): length is not penalized.`);
  if (findings.length === 0) findings.push(`References score ${refs.mean}, controls lower (empty ${controls.empty.mean}, other record ${controls.otherRecord.mean}, padded ${controls.padded.mean}); AUC ${auc}.`);
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
