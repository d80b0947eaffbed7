// Target editing: the user types percents, the host gets shares (0..1) for every leaf.

/** One leaf's target as the user left it. */
export interface TargetDraft {
  readonly path: string;
  /** What the input holds now. */
  readonly text: string;
  /** The target the report came with, 0..1. */
  readonly original: number;
}

export type TargetValidation = { readonly ok: true; readonly targets: Record<string, number> } | { readonly ok: false; readonly fieldErrors: ReadonlyMap<string, string>; readonly sumError?: string };

/** The text an input starts with: a percent with at most two decimals (1/6 → "16.67"). */
export function percentText(share: number): string {
  return String(Math.round(share * 10_000) / 100);
}

/**
 * Checks every leaf's percent (0..100) and that they add up to at most 100. An input left as it was keeps its
 * exact original share, so uniform targets like 1/6 (shown as 16.67) do not add up to 100.02.
 */
export function validateTargets(drafts: readonly TargetDraft[]): TargetValidation {
  const fieldErrors = new Map<string, string>();
  const targets: Record<string, number> = {};
  for (const draft of drafts) {
    const share = draftShare(draft);
    if (typeof share === 'string') fieldErrors.set(draft.path, share);
    else targets[draft.path] = share;
  }
  if (fieldErrors.size > 0) return { ok: false, fieldErrors };
  const sum = Object.values(targets).reduce((a, b) => a + b, 0);
  if (sum > 1 + 1e-9) return { ok: false, fieldErrors, sumError: `Targets add up to ${percentText(sum)}%; they must add up to 100% or less.` };
  return { ok: true, targets };
}

/** The share a draft stands for, or why it is not a valid percent. */
function draftShare(draft: TargetDraft): number | string {
  const text = draft.text.trim();
  if (text === percentText(draft.original)) return draft.original;
  if (text === '') return 'Enter a percent from 0 to 100.';
  const percent = Number(text);
  if (!Number.isFinite(percent)) return `"${text}" is not a number.`;
  if (percent < 0 || percent > 100) return `${text}% is out of range: enter 0 to 100.`;
  return Math.round(percent * 10_000) / 1_000_000;
}
