// Which prompts a dry run asks (and its estimate counts): valid records, stratified by topic, seeded.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { readLabels } from '../dataset/labels';
import { forEachValidRecord } from '../dataset/validRecords';
import { DryRunError } from './dryRunError';
import { UNCATEGORIZED } from './dryRunTypes';
import { stratifiedSample } from './sampling';

/** Datasets up to this many valid records are read once; a larger one is read again for the chosen records. */
const KEEP_RECORDS = 20_000;

export interface PromptCandidate {
  readonly key: string;
  readonly file: string;
  readonly line: number;
  readonly topic: string;
}

export interface ChosenPrompts {
  readonly chosen: PromptCandidate[];
  /** The chosen records by key. */
  readonly records: Map<string, Record<string, unknown>>;
  /** sha256 over every valid record key, in order. */
  readonly recordsFingerprint: string;
}

export async function choosePrompts(dir: string, options: { n: number; seed: number; signal?: AbortSignal }): Promise<ChosenPrompts> {
  const { labels } = await readLabels(dir);
  const candidates: PromptCandidate[] = [];
  const fingerprint = createHash('sha256');
  let records = new Map<string, Record<string, unknown>>();
  await forEachValidRecord(
    dir,
    (record) => {
      fingerprint.update(record.key);
      candidates.push({ key: record.key, file: path.relative(dir, record.file), line: record.line, topic: labels.get(record.key)?.topic ?? UNCATEGORIZED });
      if (candidates.length <= KEEP_RECORDS) records.set(record.key, record.record);
      else if (records.size > 0) records = new Map();
    },
    { signal: options.signal },
  );
  if (candidates.length === 0) throw new DryRunError(`${dir} has no valid records to sample: rft validate ${dir} shows why`);
  const chosen = stratifiedSample(candidates, options.n, options.seed);
  if (candidates.length > KEEP_RECORDS) {
    const chosenKeys = new Set(chosen.map((candidate) => candidate.key));
    await forEachValidRecord(
      dir,
      (record) => {
        if (chosenKeys.has(record.key)) records.set(record.key, record.record);
      },
      { signal: options.signal },
    );
  }
  return { chosen, records, recordsFingerprint: fingerprint.digest('hex') };
}
