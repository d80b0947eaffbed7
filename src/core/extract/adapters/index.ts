// The trace-file adapters, in detection order: the formats with the most specific markers first, plain chat
// JSONL (anything with a `messages` array) last.
import type { TraceFileAdapter } from '../traceCall';
import { chatAdapter } from './chat';
import { heliconeAdapter } from './helicone';
import { langfuseAdapter } from './langfuse';
import { litellmAdapter } from './litellm';
import { otelAdapter } from './otel';
import { requestLogAdapter } from './requestLog';

export { chatAdapter, heliconeAdapter, langfuseAdapter, litellmAdapter, otelAdapter, requestLogAdapter };

export const TRACE_FILE_ADAPTERS: readonly TraceFileAdapter[] = [otelAdapter, langfuseAdapter, litellmAdapter, heliconeAdapter, requestLogAdapter, chatAdapter];

/**
 * The first adapter whose `detect` accepts the sample (the first items of a file); else an error that names
 * every format tried and why it did not match.
 */
export function detectTraceFormat(sample: unknown[]): { adapter: TraceFileAdapter } | { error: string } {
  if (sample.length === 0) return { error: 'Cannot tell the trace format: the file holds no JSON values.' };
  const reasons: string[] = [];
  for (const adapter of TRACE_FILE_ADAPTERS) {
    const detection = adapter.detect(sample);
    if (detection.ok) return { adapter };
    reasons.push(`${adapter.kind}: ${detection.reason}`);
  }
  return { error: `Unknown trace format (${describeSample(sample)}). Tried:\n${reasons.map((reason) => `  - ${reason}`).join('\n')}` };
}

function describeSample(sample: unknown[]): string {
  const first = sample[0];
  const count = `${sample.length} item${sample.length === 1 ? '' : 's'}`;
  if (typeof first !== 'object' || first === null || Array.isArray(first)) return `${count}; the first is ${first === null ? 'null' : Array.isArray(first) ? 'an array' : `a ${typeof first}`}`;
  const keys = Object.keys(first);
  const shown = keys.slice(0, 8).join(', ') + (keys.length > 8 ? ', …' : '');
  return `${count}; the first has keys: ${shown || 'none'}`;
}
