// RFT rows (exports/train.jsonl, valid.jsonl) → what the open engines' chat templates take: a prompt of plain
// {role, content} turns (text only; `developer` back to `system`, which Hugging Face chat templates know), the whole
// row as `item_json` (what the compiled reward grades, exactly as our engine sees `item`), and the grader fields.
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { contentText, isPlainObject } from '../../validation/recordShape';

export interface PromptTurn {
  readonly role: string;
  readonly content: string;
}

export interface EngineRow {
  readonly prompt: PromptTurn[];
  /** The RFT row as JSON: the compiled reward's `item`. */
  readonly itemJson: string;
  /** Top-level keys other than messages and tools (reference_answer, metadata, ...). */
  readonly graderFields: Readonly<Record<string, unknown>>;
}

/** What turning rows into engine prompts lost, said in the bundle README and notes. */
export class PromptTally {
  nonTextParts = 0;
  toolCallsDropped = 0;

  lines(): string[] {
    const lines: string[] = [];
    if (this.nonTextParts > 0) lines.push(`${this.nonTextParts} non-text content parts (images) left out of the prompts: the engine prompts are text`);
    if (this.toolCallsDropped > 0) lines.push(`${this.toolCallsDropped} assistant turns' tool calls left out of the prompts (the turns' text stays; item_json keeps them for the reward)`);
    return lines;
  }
}

export function toEngineRow(row: Record<string, unknown>, tally: PromptTally): EngineRow {
  const messages = Array.isArray(row.messages) ? row.messages.filter(isPlainObject) : [];
  const prompt = messages.map((message) => {
    if (Array.isArray(message.content)) tally.nonTextParts += message.content.filter((part) => !(isPlainObject(part) && typeof part.text === 'string')).length;
    if (Array.isArray(message.tool_calls) && message.tool_calls.length > 0) tally.toolCallsDropped++;
    const role = message.role === 'developer' ? 'system' : String(message.role);
    return { role, content: contentText(message.content) };
  });
  const { messages: _messages, tools: _tools, ...graderFields } = row;
  return { prompt, itemJson: JSON.stringify(row), graderFields };
}

/** The rows of a split file, in order. */
export async function* readRows(file: string): AsyncGenerator<Record<string, unknown>> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (error) {
      throw new Error(`${file}:${lineNumber}: not JSON (${(error as Error).message}); split again with rft split`);
    }
    if (!isPlainObject(row)) throw new Error(`${file}:${lineNumber}: not a JSON object; split again with rft split`);
    yield row;
  }
}

/** The reference answer as the text verl's reward_model.ground_truth holds ('' without one). */
export function groundTruthOf(row: Readonly<Record<string, unknown>>): string {
  const answer = row.reference_answer;
  if (answer === undefined || answer === null) return '';
  return typeof answer === 'string' ? answer : JSON.stringify(answer);
}

/** The row's topic (metadata.topic, merged in by the split), or undefined. */
export function topicOfRow(row: Readonly<Record<string, unknown>>): string | undefined {
  const topic = isPlainObject(row.metadata) ? row.metadata.topic : undefined;
  return typeof topic === 'string' && topic !== '' ? topic : undefined;
}
