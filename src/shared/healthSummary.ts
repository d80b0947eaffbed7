// Shared by the extension (status bar, tree) and, later, the webviews: the one-line health text of the spec's
// Health Indicator ("✓ 1,008 valid  ⚠ 34 invalid").

export interface HealthSummary {
  readonly valid: number;
  readonly invalid: number;
  readonly duplicates: number;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** With codicons for VS Code surfaces (status bar, tree descriptions). */
export function healthText(summary: HealthSummary): string {
  const parts = [`$(check) ${fmt(summary.valid)} valid`];
  if (summary.invalid > 0) parts.push(`$(warning) ${fmt(summary.invalid)} invalid`);
  if (summary.duplicates > 0) parts.push(`$(copy) ${fmt(summary.duplicates)} duplicates`);
  return parts.join('  ');
}
