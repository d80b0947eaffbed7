import type { Decision } from '../../src/shared/dryRunProtocol';

const integer = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return integer.format(n);
}

/** A score or a statistic: 0.4512 → "0.45". */
export function score(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(2);
}

/** 0.705 → "70.5%". */
export function share(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : `${(value * 100).toFixed(digits)}%`;
}

/** a − b, signed: +0.05 / −0.12 / ±0.00; "—" when either is missing. */
export function delta(a: number | null, b: number | null, digits = 2, percent = false): string {
  if (a === null || b === null) return '—';
  const value = a - b;
  const shown = percent ? value * 100 : value;
  const text = Math.abs(shown).toFixed(digits);
  if (Number(text) === 0) return `±${text}${percent ? ' pt' : ''}`;
  return `${shown > 0 ? '+' : '−'}${text}${percent ? ' pt' : ''}`;
}

export function dollars(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  return value < 0.01 && value > 0 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`;
}

/** The decision as text; its colour (a dot and the border) comes from the stylesheet, no emoji font needed. */
export function badgeText(decision: Decision): string {
  return decision;
}

export function decisionClass(decision: Decision): string {
  return `decision-${decision.toLowerCase()}`;
}

/** "2026-12-01T20:50:00.000Z" → "2026-12-01 20:50" (UTC), or the text as it is. */
export function when(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

export const BIN_LABELS: readonly string[] = Array.from({ length: 10 }, (_, i) => `${(i / 10).toFixed(1)}–${((i + 1) / 10).toFixed(1)}`);
