// From dataset records to what graders see: item = the record's top-level fields (OpenAI's `item`), and the
// reference answer as a sample (for the self-check and Test Sample without a model).
import type { Item, Sample, ToolCall } from './sample';
import { toSample } from './sample';
import { contentText } from '../validation/recordShape';

export function itemOf(record: Record<string, unknown>): Item {
  return record;
}

/** The record's reference as an answer: reference_answer as text, reference_tool_calls as tool calls; undefined without one. */
export function referenceSample(record: Record<string, unknown>): Sample | undefined {
  const answer = record.reference_answer;
  const tools = Array.isArray(record.reference_tool_calls) ? (record.reference_tool_calls as ToolCall[]) : undefined;
  if (answer === undefined && !tools) return undefined;
  const text = answer === undefined ? '' : typeof answer === 'string' ? answer : JSON.stringify(answer);
  return { ...toSample(text), ...(tools ? { output_tools: tools } : {}) };
}

/** The text of the final user message (content parts' text joined). */
export function lastUserText(record: Record<string, unknown>): string {
  const messages = Array.isArray(record.messages) ? (record.messages as { role?: unknown; content?: unknown }[]) : [];
  const last = [...messages].reverse().find((message) => message?.role === 'user');
  return last ? contentText(last.content) : '';
}
