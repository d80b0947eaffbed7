// The one-line health text of the spec's Health Indicator ("✓ 1,008 valid  ⚠ 34 invalid"), with codicons for VS Code
// surfaces (status bar, tree descriptions); no webview shows it, so it lives with the extension.
import type { HealthCounts } from '../core/validation/health';

const fmt = (n: number) => n.toLocaleString('en-US');

/** With codicons for VS Code surfaces (status bar, tree descriptions). */
export function healthText(summary: Pick<HealthCounts, 'valid' | 'invalid' | 'duplicates'>): string {
  const parts = [`$(check) ${fmt(summary.valid)} valid`];
  if (summary.invalid > 0) parts.push(`$(warning) ${fmt(summary.invalid)} invalid`);
  if (summary.duplicates > 0) parts.push(`$(copy) ${fmt(summary.duplicates)} duplicates`);
  return parts.join('  ');
}
