import type { GraderErrorCode } from '../gradeResult';

/** Per call, for `js` (QuickJS) and `python` (Pyodide) graders. */
export interface ScriptLimits {
  readonly timeoutMs: number;
  readonly memoryMb: number;
}

export const DEFAULT_SCRIPT_LIMITS: ScriptLimits = { timeoutMs: 2000, memoryMb: 256 };

/** What a sandboxed `grade` call gave back: its value (any JSON value; the engine checks it is a number), or why not. */
export type ScriptOutcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly code: GraderErrorCode; readonly message: string };
