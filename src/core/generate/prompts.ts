import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { z } from 'zod';
import { hashString } from '../dryrun/sampling';
import { seededRandom } from '../random/seededRandom';
import { isPlainObject } from '../validation/recordShape';
import type { LeafEntry } from '../topics/topicsFile';
import { GenerateError, type SourceRecord } from './generationDataset';
import type { Strategy } from './generateTypes';

/** What the model returns: several records per request, each a prompt ending with a user turn, optionally its reference. */
export const generatedRecordsSchema = z.object({
  records: z.array(
    z.object({
      messages: z.array(z.object({ role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']), content: z.string() })),
      reference_answer: z.string().optional(),
      reference_tool_calls: z.array(z.object({ name: z.string(), arguments: z.string() })).optional(),
    }),
  ),
});

export type GeneratedRecords = z.infer<typeof generatedRecordsSchema>;
export type GeneratedCandidate = GeneratedRecords['records'][number];

/** Examples shown per few-shot request, and records looked at to find what a topic's records share. */
const FEW_SHOT_EXAMPLES = 5;
const SHARED_SAMPLE = 50;

/** A topic ready to prompt for: its records (parsed lazily), and what they share (a system prompt, a tools array). */
export interface TopicContext {
  readonly leaf: LeafEntry;
  readonly records: readonly SourceRecord[];
  /** The system message every sampled record starts with, kept verbatim in the generated records. */
  readonly sharedSystem?: string;
  /** The tools array most of the topic's records carry (the `tools` strategy needs one). */
  readonly tools?: unknown[];
}

/** One request to the model and what the records it returns carry. */
export interface GenerationRequest {
  readonly topic: string;
  readonly strategy: Strategy;
  readonly messages: ChatCompletionMessageParam[];
  readonly count: number;
  /** Record keys of the examples or the varied record. */
  readonly seeds: string[];
  readonly sharedSystem?: string;
  readonly tools?: unknown[];
}

export function topicContext(leaf: LeafEntry, records: readonly SourceRecord[], seed: number): TopicContext {
  const sample = sampleOf(records, SHARED_SAMPLE, seed).map(parsed);
  const systems = sample.map((record) => firstSystem(record));
  const sharedSystem = systems.length > 0 && systems.every((system) => system !== undefined && system === systems[0]) ? systems[0] : undefined;
  return { leaf, records, ...(sharedSystem !== undefined ? { sharedSystem } : {}), ...commonTools(sample) };
}

/**
 * The request for `count` records of a topic. A topic without records falls back to `description` (few-shot and
 * variations need examples); `tools` needs records with a tools array.
 */
export function buildRequest(context: TopicContext, wanted: Strategy, count: number, options: { seed: number; index: number; seedRecord?: SourceRecord }): GenerationRequest {
  const strategy: Strategy = context.records.length === 0 && !options.seedRecord && wanted !== 'tools' ? 'description' : wanted;
  if (strategy === 'tools' && !context.tools) throw new GenerateError(`the tools strategy needs records with a tools array in ${context.leaf.path}; none of its records carries one`);
  const random = seededRandom((options.seed ^ hashString(context.leaf.path) ^ Math.imul(options.index + 1, 0x9e3779b1)) >>> 0);
  let examples: SourceRecord[] = [];
  if (strategy === 'few-shot' || strategy === 'tools') examples = pickSome(context.records, FEW_SHOT_EXAMPLES, random);
  if (strategy === 'variations') examples = [options.seedRecord ?? context.records[options.index % context.records.length]];
  const tools = strategy === 'tools' || (strategy !== 'description' && context.tools && examples.every((example) => sameTools(parsed(example), context.tools))) ? context.tools : undefined;
  const system = instructions(
    context,
    strategy,
    count,
    tools !== undefined,
    examples.some((example) => parsed(example).reference_answer !== undefined),
  );
  return {
    topic: context.leaf.path,
    strategy,
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: taskText(context, strategy, count, examples, tools) },
    ],
    count,
    seeds: examples.map((example) => example.key),
    ...(context.sharedSystem !== undefined ? { sharedSystem: context.sharedSystem } : {}),
    ...(tools ? { tools } : {}),
  };
}

function instructions(context: TopicContext, strategy: Strategy, count: number, withTools: boolean, withReferences: boolean): string {
  const { leaf } = context;
  const lines = [
    'You write new prompt records for a reinforcement fine-tuning (RFT) dataset.',
    `Topic: ${leaf.path}`,
    ...(leaf.leaf.description ? [`About: ${leaf.leaf.description}`] : []),
    ...(leaf.leaf.keywords?.length ? [`Keywords: ${leaf.leaf.keywords.join(', ')}`] : []),
    `Records to write: ${count}`,
    '',
    'Each record is the prompt part of a conversation: `messages` that end with a user turn (the model being trained writes the answer).',
    `Write requests a real user would send about this topic, each one different from the examples and from the others — not a paraphrase${strategy === 'variations' ? ' of each other' : ''}.`,
    withReferences || strategy === 'description' ? 'Give `reference_answer`: the ideal answer to the last user turn.' : 'Give `reference_answer` (the ideal answer) when there is one clear answer.',
  ];
  if (withTools)
    lines.push(
      'The assistant can call the tools below; write requests that need them, and give `reference_tool_calls` (tool name and JSON-object arguments as a string) for the calls the ideal answer makes.',
    );
  if (context.sharedSystem !== undefined)
    lines.push('Every record of this dataset starts with the same system message (below); leave it out and write only the turns after it.', '', `System message: ${context.sharedSystem}`);
  return lines.join('\n');
}

function taskText(context: TopicContext, strategy: Strategy, count: number, examples: readonly SourceRecord[], tools: unknown[] | undefined): string {
  const shown = examples.map((example) => JSON.stringify(exampleOf(parsed(example), context.sharedSystem)));
  const toolText = tools ? `Tools (JSON):\n${JSON.stringify(tools)}\n\n` : '';
  if (strategy === 'description') return `The topic has no records yet. Write ${count} records from its name, description and keywords.`;
  if (strategy === 'variations') return `${toolText}Write ${count} variations of this record — the same kind of request with other details, wording and situation:\n${shown[0]}`;
  return `${toolText}Examples from the dataset (JSON, one per line):\n${shown.join('\n')}\n\nWrite ${count} new records like these.`;
}

/** An example as the model sees it: its messages (without the shared system message) and its reference. */
function exampleOf(record: Record<string, unknown>, sharedSystem: string | undefined): Record<string, unknown> {
  const messages = Array.isArray(record.messages) ? record.messages : [];
  const shown: Record<string, unknown> = { messages: sharedSystem !== undefined && firstSystem(record) === sharedSystem ? messages.slice(1) : messages };
  if (record.reference_answer !== undefined) shown.reference_answer = record.reference_answer;
  if (record.reference_tool_calls !== undefined) shown.reference_tool_calls = record.reference_tool_calls;
  return shown;
}

const parsedCache = new WeakMap<SourceRecord, Record<string, unknown>>();
function parsed(record: SourceRecord): Record<string, unknown> {
  let value = parsedCache.get(record);
  if (record.json === undefined) throw new Error(`the line of record ${record.key} was not kept (readGenerationDataset linesOf)`);
  if (!value) parsedCache.set(record, (value = JSON.parse(record.json) as Record<string, unknown>));
  return value;
}

function firstSystem(record: Record<string, unknown>): string | undefined {
  const first = Array.isArray(record.messages) ? record.messages[0] : undefined;
  return isPlainObject(first) && first.role === 'system' && typeof first.content === 'string' ? first.content : undefined;
}

/** The most common non-empty tools array among the records. */
function commonTools(records: readonly Record<string, unknown>[]): { tools?: unknown[] } {
  const counts = new Map<string, { tools: unknown[]; n: number }>();
  for (const record of records) {
    if (!Array.isArray(record.tools) || record.tools.length === 0) continue;
    const key = JSON.stringify(record.tools);
    const entry = counts.get(key) ?? { tools: record.tools, n: 0 };
    entry.n++;
    counts.set(key, entry);
  }
  const best = [...counts.values()].sort((a, b) => b.n - a.n)[0];
  return best ? { tools: best.tools } : {};
}

function sameTools(record: Record<string, unknown>, tools: unknown[] | undefined): boolean {
  return tools !== undefined && Array.isArray(record.tools) && JSON.stringify(record.tools) === JSON.stringify(tools);
}

function sampleOf<T>(items: readonly T[], size: number, seed: number): T[] {
  return pickSome(items, size, seededRandom(seed >>> 0 || 1));
}

/** Up to `size` distinct items in a seeded random order, without copying a large topic. */
function pickSome<T>(items: readonly T[], size: number, random: () => number): T[] {
  const chosen = new Set<number>();
  const wanted = Math.min(size, items.length);
  while (chosen.size < wanted) chosen.add(Math.floor(random() * items.length));
  return [...chosen].map((index) => items[index]);
}
