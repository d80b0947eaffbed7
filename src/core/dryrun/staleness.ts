// Whether a dry run still describes its dataset (issue 11 §5: "a run older than the grader or the records says it
// is stale"). One pure rule, `runStaleness`, over the facts `stalenessFacts` reads from disk; step 5 of the
// pipeline state and the dry-run panel both use it, so they cannot disagree.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { datasetRecordFiles } from '../dataset/manifest';
import { readGraderFile } from '../grader/graderFile';
import { graderHash } from './runDryRun';

/** What the dataset is now, as far as a run's staleness goes. */
export interface StalenessFacts {
  /** sha256 of grader.json's resolved grader; null when there is no grader.json; 'invalid' when it does not load. */
  readonly graderHash: string | null | 'invalid';
  /** Each records file (its name) and when it was last modified (ms since the epoch). */
  readonly recordsChangedAt: readonly { readonly file: string; readonly modifiedMs: number }[];
}

/** The part of a run file staleness reads (loose, so a damaged or older file can be asked too). */
export interface StalenessRun {
  readonly graderHash?: unknown;
  readonly startedAt?: unknown;
}

/** Why the run no longer describes the dataset ("grader.json changed since this run"), or undefined when it still does. */
export function runStaleness(run: StalenessRun, facts: StalenessFacts): string | undefined {
  if (typeof run.graderHash === 'string') {
    if (facts.graderHash === null) return 'grader.json was removed since this run';
    if (facts.graderHash === 'invalid') return 'grader.json changed since this run (it is invalid now)';
    if (facts.graderHash !== run.graderHash) return 'grader.json changed since this run';
  }
  const started = typeof run.startedAt === 'string' ? Date.parse(run.startedAt) : NaN;
  if (Number.isNaN(started)) return undefined;
  const changed = facts.recordsChangedAt.find((records) => Math.floor(records.modifiedMs) > started);
  return changed ? `${changed.file} changed since this run` : undefined;
}

/** The dataset's grader hash and records modification times, as runStaleness needs them. */
export async function stalenessFacts(dir: string): Promise<StalenessFacts> {
  let hash: StalenessFacts['graderHash'];
  try {
    const loaded = await readGraderFile(dir);
    hash = loaded ? graderHash(loaded.resolved) : null;
  } catch {
    hash = 'invalid';
  }
  const recordsChangedAt: { file: string; modifiedMs: number }[] = [];
  for (const file of datasetRecordFiles(dir)) {
    const modifiedMs = await fs.promises.stat(file).then(
      (stat) => stat.mtimeMs,
      () => undefined,
    );
    if (modifiedMs !== undefined) recordsChangedAt.push({ file: path.basename(file), modifiedMs });
  }
  return { graderHash: hash, recordsChangedAt };
}
