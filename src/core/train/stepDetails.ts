// What the CLI says about a job's newest step beyond the two rewards (hosted RFT reports them): each grader's reward
// and error rate, and the reasoning tokens per answer — the same figures the monitor draws.
import type { JobRecord, MetricPoint } from './jobFile';

const fixed = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(3));
const percent = (value: number | undefined) => (value === undefined ? '–' : `${(value * 100).toFixed(value > 0 && value < 0.01 ? 1 : 0)} %`);
const count = (value: number | undefined) => (value === undefined ? '–' : Math.round(value).toLocaleString('en-US'));

/** Indented lines (no trailing newline) for the newest step that has per-grader figures; empty when none has. */
export function stepDetailLines(job: Pick<JobRecord, 'metrics'>, indent = '  '): string[] {
  const point = [...job.metrics].reverse().find((candidate) => candidate.graders || candidate.valid_graders || candidate.grader_errors || candidate.reasoning_tokens);
  if (!point) return [];
  const lines: string[] = [];
  const names = graderNames(point);
  if (names.length > 0) {
    const width = Math.max(...names.map((name) => name.length));
    lines.push(`${indent}graders at step ${point.step} (reward train / valid · samples in error train / valid)`);
    for (const name of names) {
      const errors = point.grader_errors?.[name];
      lines.push(
        `${indent}  ${name.padEnd(width)}  ${fixed(point.graders?.[name])} / ${fixed(point.valid_graders?.[name])}${errors ? `  ·  errors ${percent(errors.train)} / ${percent(errors.valid)}${kindsOf(errors.kinds)}` : ''}`,
      );
    }
  }
  if (point.reasoning_tokens) lines.push(`${indent}reasoning tokens per answer: train ${count(point.reasoning_tokens.train)} · valid ${count(point.reasoning_tokens.valid)}`);
  return lines;
}

function graderNames(point: MetricPoint): string[] {
  return [...new Set([...Object.keys(point.graders ?? {}), ...Object.keys(point.valid_graders ?? {}), ...Object.keys(point.grader_errors ?? {})])];
}

/** The kinds that occurred: " (invalid_variable_error 100 %)". */
function kindsOf(kinds: Readonly<Record<string, { readonly train?: number; readonly valid?: number }>> | undefined): string {
  const seen = Object.entries(kinds ?? {}).filter(([, rates]) => (rates.train ?? 0) > 0 || (rates.valid ?? 0) > 0);
  return seen.length === 0 ? '' : ` (${seen.map(([kind, rates]) => `${kind} ${percent(Math.max(rates.train ?? 0, rates.valid ?? 0))}`).join(', ')})`;
}
