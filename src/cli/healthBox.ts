import { severityOf, type ValidationCode } from '../core/validation/codes';
import type { ValidationReport } from '../core/validation/fileValidator';
import { recommendations } from '../core/validation/recommendations';

const fmt = (n: number) => n.toLocaleString('en-US');
const pct = (n: number, total: number) => (total === 0 ? '' : ` (${((100 * n) / total).toFixed(1)}%)`);

/** The summary box in the spirit of the spec's "Sanitize Data" screen, then recommendations. */
export function formatHealthBox(title: string, report: ValidationReport): string {
  const { counts, tokens } = report;
  const rows: string[] = [
    `Records:       ${fmt(counts.total)}`,
    `✓ Valid:       ${fmt(counts.valid)}${pct(counts.valid, counts.total)}`,
    `✗ Invalid:     ${fmt(counts.invalid)}${pct(counts.invalid, counts.total)}`,
  ];
  const byCount = (severity: 'error' | 'warning') =>
    (Object.entries(counts.byCode) as [ValidationCode, number][]).filter(([code]) => code !== 'duplicate' && severityOf(code) === severity).sort((a, b) => b[1] - a[1]);
  const codeRow = ([code, n]: [ValidationCode, number]) => `  - ${`${code}:`.padEnd(26)} ${fmt(n).padStart(8)}`;
  rows.push(...byCount('error').map(codeRow));
  rows.push(`⊘ Duplicates:  ${fmt(counts.duplicates)}${pct(counts.duplicates, counts.total)}`);
  rows.push(`⚠ Warnings:    ${fmt(counts.warnings)} valid record(s) with warnings`);
  rows.push(...byCount('warning').map(codeRow));
  const how = tokens.exact ? 'exact' : `sampled, ${fmt(tokens.counted)} records`;
  rows.push(`Tokens:        max ${fmt(tokens.max)} · p50 ${fmt(tokens.p50)} · p90 ${fmt(tokens.p90)} (${how})`);
  const width = Math.max(title.length + 4, ...rows.map((row) => [...row].length)) + 2;
  const line = (text: string) => `│ ${text}${' '.repeat(width - [...text].length - 1)}│`;
  const box = [`┌─ ${title} ${'─'.repeat(Math.max(0, width - title.length - 3))}┐`, ...rows.map(line), `└${'─'.repeat(width)}┘`];
  const advice = recommendations(counts).map((text) => `  • ${text}`);
  return `${box.join('\n')}\n${advice.length > 0 ? `Recommendations:\n${advice.join('\n')}\n` : ''}`;
}
