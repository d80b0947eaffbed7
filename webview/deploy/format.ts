// How the results panel writes its figures: "0.42 → 0.67 · +60 %", intervals, verdict flags.
import type { FiguresView, Verdict } from '../../src/shared/deployProtocol';

export const score = (value: number | null | undefined) => (value === null || value === undefined ? '–' : value.toFixed(2));

const signedNumber = (value: number, digits: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(digits)}`;

/** "+60 %" (the relative change), or "" when there is none. */
export function relative(value: number | null): string {
  if (value === null) return '';
  const percent = Math.round(value * 100);
  return `${percent >= 0 ? '+' : '−'}${Math.abs(percent)} %`;
}

/** "0.42 → 0.67 · +60 %". */
export function beforeAfter(figures: FiguresView): string {
  const change = relative(figures.relativeChange);
  return `${score(figures.base)} → ${score(figures.tuned)}${change ? ` · ${change}` : ''}`;
}

/** "Δ +0.25 · 95 % CI [+0.18, +0.31]". */
export function deltaLine(figures: FiguresView): string {
  if (figures.delta === null) return 'no scored pairs';
  return `Δ ${signedNumber(figures.delta, 2)} · 95 % CI ${interval(figures.ci)}`;
}

export function interval(ci: readonly [number, number] | null): string {
  return ci ? `[${signedNumber(ci[0], 3)}, ${signedNumber(ci[1], 3)}]` : '–';
}

export const VERDICT_TEXT: Record<Verdict, string> = { improvement: '▲ improvement', regression: '⚠ regression', 'no clear change': 'no clear change', 'no data': 'no data' };

export const verdictClass = (verdict: Verdict) => `verdict-${verdict.replace(/\s+/g, '-')}`;

export function when(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
