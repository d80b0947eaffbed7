// Dataset records → training rows (issue 13 §1). RFT (OpenAI/Azure reinforcement fine-tuning): `messages` ending
// with a user turn, no `system` role (→ `developer`), `tools` kept, and every other top-level key kept as it is —
// OpenAI reserves only `messages` and `tools`; the rest is grader data (`{{item.<key>}}`). SFT: the reference answer
// (and reference tool calls) as the final assistant turn, for the dry run's "use SFT first".
import { isPlainObject } from '../validation/recordShape';
import type { Label } from '../dataset/labels';

export const SPLIT_FORMATS = ['rft', 'sft'] as const;
export type SplitFormat = (typeof SPLIT_FORMATS)[number];

type Row = Record<string, unknown>;
type Message = Record<string, unknown>;

/** What the conversion changed, counted over a whole split and said in `changes`. */
export class ConversionTally {
  systemToDeveloper = 0;
  labelsMerged = 0;
  graderFieldsDropped = 0;

  lines(format: SplitFormat): string[] {
    const lines: string[] = [];
    const say = (n: number, one: string, many: string) => n > 0 && lines.push(`${n.toLocaleString('en-US')} ${n === 1 ? one : many}`);
    say(this.labelsMerged, 'record got its topic label in metadata.topic', 'records got their topic labels in metadata.topic');
    if (format === 'sft')
      say(this.graderFieldsDropped, 'record had grader fields dropped (SFT rows hold messages and tools only)', 'records had grader fields dropped (SFT rows hold messages and tools only)');
    else say(this.systemToDeveloper, 'system message became developer (RFT has no system role)', 'system messages became developer (RFT has no system role)');
    return lines;
  }
}

/**
 * The record with the labels merged into `metadata` as exports do (docs/dataset-format.md §Labels): `topic` and `topic_confidence` from the
 * label unless the record has its own `metadata.topic`, and `source` when it has none. A non-object metadata stays.
 */
export function withLabelMetadata(record: Row, label: Label | undefined, source: string): { record: Row; labeled: boolean } {
  if (record.metadata !== undefined && !isPlainObject(record.metadata)) return { record, labeled: false };
  const metadata = (record.metadata ?? {}) as Row;
  const labeled = label !== undefined && metadata.topic === undefined;
  const merged: Row = { ...(labeled ? { topic: label.topic, topic_confidence: label.confidence } : {}), ...(metadata.source === undefined ? { source } : {}), ...metadata };
  return { record: { ...record, metadata: merged }, labeled };
}

/** Why a record cannot become a row of the format, or undefined when it can. */
export function rowProblem(format: SplitFormat, record: Row): 'noFinalUser' | 'noReference' | undefined {
  if (messagesOf(record).at(-1)?.role !== 'user') return 'noFinalUser';
  if (format === 'sft' && record.reference_answer === undefined && referenceToolCalls(record) === undefined) return 'noReference';
  return undefined;
}

/** An RFT row: system turns become developer turns; every other key (tools, grader fields, metadata) stays. */
export function toRftRow(record: Row, tally: ConversionTally): Row {
  const messages = messagesOf(record).map((message) => {
    if (message.role !== 'system') return message;
    tally.systemToDeveloper++;
    return { ...message, role: 'developer' };
  });
  return { ...record, messages };
}

/** An SFT row: the messages, the reference as the assistant's answer, and the tools. */
export function toSftRow(record: Row, tally: ConversionTally): Row {
  const toolCalls = referenceToolCalls(record);
  const answer = record.reference_answer;
  const content = answer === undefined ? null : typeof answer === 'string' ? answer : JSON.stringify(answer);
  const assistant: Message = { role: 'assistant', content, ...(toolCalls ? { tool_calls: toolCalls } : {}) };
  const { messages: _messages, tools, parallel_tool_calls, ...graderFields } = record;
  if (Object.keys(graderFields).some((key) => key !== 'reference_answer' && key !== 'reference_tool_calls')) tally.graderFieldsDropped++;
  return { messages: [...messagesOf(record), assistant], ...(tools !== undefined ? { tools } : {}), ...(parallel_tool_calls !== undefined ? { parallel_tool_calls } : {}) };
}

/** The row of a record that has no rowProblem. */
export function toRow(format: SplitFormat, record: Row, tally: ConversionTally): Row {
  return format === 'rft' ? toRftRow(record, tally) : toSftRow(record, tally);
}

function referenceToolCalls(record: Row): unknown[] | undefined {
  return Array.isArray(record.reference_tool_calls) && record.reference_tool_calls.length > 0 ? record.reference_tool_calls : undefined;
}

function messagesOf(record: Row): Message[] {
  return Array.isArray(record.messages) ? (record.messages.filter(isPlainObject) as Message[]) : [];
}
