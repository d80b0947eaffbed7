import { severityOf } from '../validation/codes';
import { validateLine } from '../validation/lineValidator';
import type { ValidationSettings } from '../validation/settings';
import type { Strategy } from './generateTypes';
import type { GeneratedCandidate, GenerationRequest } from './prompts';

/** Where a generated record came from (`metadata.generated`, docs/dataset-format.md: generated.jsonl holds these). */
export interface GeneratedMetadata {
  readonly topic: string;
  readonly strategy: Strategy;
  readonly model: string;
  /** Record keys of the examples (few-shot, tools) or the varied record (variations). */
  readonly seeds: string[];
  readonly at: string;
  /** The plan (`.rft/generation.json`) the record was made for, when the run keeps one. */
  readonly plan?: string;
}

/** A candidate as a dataset record: the shared system message first, the topic's tools carried, references kept. */
export function candidateRecord(candidate: GeneratedCandidate, request: GenerationRequest, meta: GeneratedMetadata): Record<string, unknown> {
  const own = candidate.messages.map((message) => ({ role: message.role, content: message.content }));
  const turns = request.sharedSystem !== undefined ? [{ role: 'system', content: request.sharedSystem }, ...own.filter((message, i) => !(i === 0 && message.role === 'system'))] : own;
  const record: Record<string, unknown> = { messages: turns };
  if (request.tools) record.tools = request.tools;
  if (candidate.reference_answer !== undefined && candidate.reference_answer !== '') record.reference_answer = candidate.reference_answer;
  if (candidate.reference_tool_calls?.length)
    record.reference_tool_calls = candidate.reference_tool_calls.map((call, i) => ({ id: `call_${i + 1}`, type: 'function', function: { name: call.name, arguments: call.arguments } }));
  record.metadata = { generated: meta };
  return record;
}

export type CheckedCandidate = { readonly valid: true; readonly line: string; readonly key: string } | { readonly valid: false; readonly codes: string[] };

/** The record as the JSONL line it would be, checked by the health engine (the same rules as records.jsonl). */
export function checkCandidate(record: Record<string, unknown>, settings: ValidationSettings): CheckedCandidate {
  const line = JSON.stringify(record);
  const result = validateLine({ text: line, byteLength: Buffer.byteLength(line) }, settings);
  if (result.hasError || result.key === undefined) return { valid: false, codes: [...new Set(result.issues.filter((issue) => severityOf(issue.code) === 'error').map((issue) => issue.code))] };
  return { valid: true, line, key: result.key };
}
