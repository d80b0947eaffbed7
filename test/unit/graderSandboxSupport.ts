// What the sandbox suites (graderSandbox*.test.ts) share: the sample and record they grade, limits, and outcome checks.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { ScriptLimits, ScriptOutcome } from '../../src/core/grader/sandbox/scriptLimits';
import type { Item, Sample } from '../../src/core/grader/sample';

export const ROOT = path.resolve(__dirname, '../..');
export const FAST: ScriptLimits = { timeoutMs: 600, memoryMb: 256 };
/** For work that is slow on a busy machine where the time limit is not what is tested. */
export const ROOMY: ScriptLimits = { timeoutMs: 60_000, memoryMb: 256 };

/** This thread busy, as a host busy elsewhere (a long synchronous call, a GC) would be: no timer of ours runs. */
export function holdThisThread(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy
  }
}

export const sample: Sample = { output_text: 'The capital of France is Paris.', output_tools: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"city":"Paris"}' } }] };
export const item: Item = {
  messages: [
    { role: 'system', content: 'You are a geography tutor.' },
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello!' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is the capital' },
        { type: 'text', text: 'of France?' },
      ],
    },
  ],
  tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }],
  reference_answer: 'Paris',
};

export function failure(outcome: ScriptOutcome): { code: string; message: string } {
  assert.equal(outcome.ok, false, `expected an error, got ${JSON.stringify(outcome)}`);
  return outcome as { ok: false; code: string; message: string };
}

export function value(outcome: ScriptOutcome): unknown {
  assert.equal(outcome.ok, true, `expected a value, got ${JSON.stringify(outcome)}`);
  return (outcome as { value: unknown }).value;
}
