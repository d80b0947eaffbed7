// RFT rows (exports/train.jsonl, valid.jsonl) → what the open engines' chat templates take: a prompt of plain
// {role, content} turns (text only; `developer` back to `system`, which Hugging Face chat templates know), the whole
// row as `item_json` (what the compiled reward grades, exactly as our engine sees `item`), and the grader fields.
// Tool calls have no place in a {role, content} turn: an assistant turn that only called tools is left out with the
// tool results answering it (an empty assistant turn, or a tool result without its call, is what strict chat
// templates refuse — and verl drops a row whose template raises without a word), a turn with text keeps the text, and
// turns of one role that end up side by side are joined (templates that want user/assistant alternation).
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

/** What turning rows into engine prompts lost or changed, said in the bundle README, its notes and the CLI. */
export class PromptTally {
  nonTextParts = 0;
  /** Prompts changed because of tool calls (any of the counts below). */
  rowsWithToolCalls = 0;
  /** Assistant turns that only called tools, left out. */
  toolCallTurnsDropped = 0;
  /** Tool results left out (their calls are not in the prompt). */
  toolResultsDropped = 0;
  /** Assistant turns that kept their text without their tool calls. */
  toolCallsStripped = 0;
  /** Turns joined to the turn before them (same role, once the tool turns between them were gone). */
  turnsJoined = 0;

  lines(): string[] {
    const lines: string[] = [];
    if (this.nonTextParts > 0) lines.push(`${this.nonTextParts} non-text content parts (images) left out of the prompts: the engine prompts are text`);
    if (this.rowsWithToolCalls > 0) {
      const parts = [
        `${this.toolCallTurnsDropped} assistant turns that only called tools and ${this.toolResultsDropped} tool results left out`,
        ...(this.toolCallsStripped > 0 ? [`${this.toolCallsStripped} assistant turns kept their text without the calls`] : []),
        ...(this.turnsJoined > 0 ? [`${this.turnsJoined} turns joined to the same-role turn before them`] : []),
      ];
      lines.push(`${this.rowsWithToolCalls} prompts had tool calls, which the engine prompts cannot carry: ${parts.join('; ')} (item_json keeps the whole conversation for the reward)`);
    }
    return lines;
  }

  /** The counts, for summaries (--json). */
  counts(): PromptChanges {
    return {
      nonTextParts: this.nonTextParts,
      rowsWithToolCalls: this.rowsWithToolCalls,
      toolCallTurnsDropped: this.toolCallTurnsDropped,
      toolResultsDropped: this.toolResultsDropped,
      toolCallsStripped: this.toolCallsStripped,
      turnsJoined: this.turnsJoined,
    };
  }
}

export interface PromptChanges {
  readonly nonTextParts: number;
  readonly rowsWithToolCalls: number;
  readonly toolCallTurnsDropped: number;
  readonly toolResultsDropped: number;
  readonly toolCallsStripped: number;
  readonly turnsJoined: number;
}

export function toEngineRow(row: Record<string, unknown>, tally: PromptTally): EngineRow {
  const messages = Array.isArray(row.messages) ? row.messages.filter(isPlainObject) : [];
  const prompt: PromptTurn[] = [];
  let changed = false;
  let leftOut = false;
  for (const message of messages) {
    if (Array.isArray(message.content)) tally.nonTextParts += message.content.filter((part) => !(isPlainObject(part) && typeof part.text === 'string')).length;
    const role = message.role === 'developer' ? 'system' : String(message.role);
    const content = contentText(message.content);
    const calls = role === 'assistant' && Array.isArray(message.tool_calls) && message.tool_calls.length > 0;
    if (role === 'tool' || (calls && content.trim() === '')) {
      if (role === 'tool') tally.toolResultsDropped++;
      else tally.toolCallTurnsDropped++;
      changed = leftOut = true;
      continue;
    }
    if (calls) {
      tally.toolCallsStripped++;
      changed = true;
    }
    const previous = prompt.at(-1);
    if (leftOut && previous?.role === role) {
      prompt[prompt.length - 1] = { role, content: `${previous.content}\n\n${content}` };
      tally.turnsJoined++;
    } else {
      prompt.push({ role, content });
    }
    leftOut = false;
  }
  if (changed) tally.rowsWithToolCalls++;
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
