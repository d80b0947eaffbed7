// Which prompts a benchmark asks: the split's validation file (exports/valid.jsonl) when there is one, a chosen
// file of records (--set), or else the dataset's valid records sampled as the dry run samples them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readLabels } from '../dataset/labels';
import { choosePrompts, type PromptCandidate } from '../dryrun/choosePrompts';
import { UNCATEGORIZED } from '../dryrun/dryRunTypes';
import { stratifiedSample } from '../dryrun/sampling';
import { recordKey } from '../validation/recordKey';
import type { BenchmarkSource } from './benchmarkTypes';

export const VALID_SPLIT_FILE = path.join('exports', 'valid.jsonl');
/** Prompts sampled from the dataset when there is no validation split. */
export const DEFAULT_DATASET_N = 300;

export class BenchmarkError extends Error {}

export interface BenchmarkPrompts {
  readonly source: BenchmarkSource;
  readonly chosen: PromptCandidate[];
  readonly records: Map<string, Record<string, unknown>>;
}

export async function benchmarkPrompts(dir: string, options: { set?: string; n?: number; seed: number; signal?: AbortSignal }): Promise<BenchmarkPrompts> {
  const split = path.join(dir, VALID_SPLIT_FILE);
  const file = options.set ? path.resolve(options.set) : fs.existsSync(split) ? split : undefined;
  if (!file) {
    const n = options.n ?? DEFAULT_DATASET_N;
    const { chosen, records } = await choosePrompts(dir, { n, seed: options.seed, signal: options.signal });
    return { source: { kind: 'dataset', n, seed: options.seed }, chosen, records };
  }
  const { candidates, records } = await readRecordsFile(dir, file);
  if (candidates.length === 0) throw new BenchmarkError(`${file} has no records to benchmark`);
  const chosen = options.n === undefined ? candidates : stratifiedSample(candidates, options.n, options.seed);
  const shown = path.relative(dir, file).startsWith('..') ? file : path.relative(dir, file);
  return { source: options.set ? { kind: 'set', file: shown } : { kind: 'valid-split', file: shown }, chosen, records };
}

/** A JSONL file of records; the topic from the record's metadata.topic, else the dataset's labels. A bad line is a located error. */
async function readRecordsFile(dir: string, file: string): Promise<{ candidates: PromptCandidate[]; records: Map<string, Record<string, unknown>> }> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    throw new BenchmarkError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const { labels } = await readLabels(dir);
  const shown = path.relative(dir, file).startsWith('..') ? file : path.relative(dir, file);
  const candidates: PromptCandidate[] = [];
  const records = new Map<string, Record<string, unknown>>();
  text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .forEach((raw, index) => {
      const line = raw.replace(/\r$/, '');
      if (line.trim() === '') return;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch (error) {
        throw new BenchmarkError(`${shown}:${index + 1}: not JSON (${(error as Error).message})`);
      }
      if (!record || typeof record !== 'object' || !Array.isArray((record as { messages?: unknown }).messages)) throw new BenchmarkError(`${shown}:${index + 1}: a record needs a "messages" array`);
      const value = record as Record<string, unknown>;
      const key = recordKey(value, line);
      if (records.has(key)) return;
      records.set(key, value);
      const metadata = value.metadata as { topic?: unknown } | undefined;
      const topic = typeof metadata?.topic === 'string' && metadata.topic ? metadata.topic : (labels.get(key)?.topic ?? UNCATEGORIZED);
      candidates.push({ key, file: shown, line: index + 1, topic });
    });
  return { candidates, records };
}
