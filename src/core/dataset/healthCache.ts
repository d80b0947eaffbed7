import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../fs/atomicWrite';
import { validateJsonlFiles, type FileHealth, type FileIssue, type ValidationReport } from '../validation/fileValidator';
import type { HealthCounts } from '../validation/health';
import type { ValidationSettings } from '../validation/settings';
import type { TokenStats } from '../validation/tokenStats';
import { datasetRecordFiles, STATE_DIR } from './manifest';

const CACHE_FILE = path.join(STATE_DIR, 'cache', 'health.json');
// Bumped whenever validation changes what it reports (3: content parts per role, weight, too_deep, top_level_system, special tokens as text).
const CACHE_VERSION = 3;
const FINGERPRINT_BYTES = 64 * 1024;

/** A dataset's health as the tree, the status bar and "View Issues" need it; issues are capped at 1,000. */
export interface DatasetHealth {
  readonly counts: HealthCounts;
  /** The counts of each record file (records.jsonl, generated.jsonl), by its path relative to the dataset folder. */
  readonly perFile: FileHealth[];
  /** File paths relative to the dataset folder. */
  readonly issues: FileIssue[];
  readonly issuesTruncated: boolean;
  readonly tokens: TokenStats;
}

interface FileStamp {
  readonly file: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly fingerprint: string;
}

interface CacheEntry {
  readonly version: number;
  readonly settings: ValidationSettings;
  readonly files: FileStamp[];
  readonly health: DatasetHealth;
}

export interface HealthResult {
  readonly health: DatasetHealth;
  readonly fromCache: boolean;
}

/**
 * Validates a dataset's record files, or returns the cached result when every file has the same size, mtime and
 * content fingerprint (first and last 64 KiB) and the limits are the same: reopening a large dataset does not
 * re-validate it from scratch.
 */
export async function datasetHealth(datasetDir: string, settings: ValidationSettings, options: { signal?: AbortSignal; onProgress?: (bytes: number) => void } = {}): Promise<HealthResult> {
  const files = datasetRecordFiles(datasetDir);
  const stamps = await Promise.all(files.map((file) => stampOf(datasetDir, file)));
  const cached = await readCache(datasetDir);
  if (cached && sameStamps(cached, stamps, settings)) return { health: cached.health, fromCache: true };
  const report = await validateJsonlFiles(files, { settings, signal: options.signal, onProgress: options.onProgress });
  const health = toDatasetHealth(datasetDir, report);
  await writeCache(datasetDir, { version: CACHE_VERSION, settings, files: stamps, health }).catch(() => undefined); // a read-only dataset still validates
  return { health, fromCache: false };
}

function toDatasetHealth(datasetDir: string, report: ValidationReport): DatasetHealth {
  const issues = report.issues.map((issue) => ({ ...issue, file: path.relative(datasetDir, issue.file) }));
  const perFile = report.perFile.map((entry) => ({ file: path.relative(datasetDir, entry.file), counts: entry.counts }));
  return { counts: report.counts, perFile, issues, issuesTruncated: report.issuesTruncated, tokens: report.tokens };
}

async function stampOf(datasetDir: string, file: string): Promise<FileStamp> {
  const stat = await fs.promises.stat(file);
  const handle = await fs.promises.open(file, 'r');
  try {
    const hash = crypto.createHash('sha1');
    const head = Buffer.alloc(Math.min(FINGERPRINT_BYTES, stat.size));
    await handle.read(head, 0, head.length, 0);
    hash.update(head);
    if (stat.size > FINGERPRINT_BYTES) {
      const tail = Buffer.alloc(Math.min(FINGERPRINT_BYTES, stat.size - FINGERPRINT_BYTES));
      await handle.read(tail, 0, tail.length, stat.size - tail.length);
      hash.update(tail);
    }
    return { file: path.relative(datasetDir, file), size: stat.size, mtimeMs: stat.mtimeMs, fingerprint: hash.digest('hex') };
  } finally {
    await handle.close();
  }
}

function sameStamps(cached: CacheEntry, stamps: FileStamp[], settings: ValidationSettings): boolean {
  return cached.version === CACHE_VERSION && JSON.stringify(cached.settings) === JSON.stringify(settings) && JSON.stringify(cached.files) === JSON.stringify(stamps);
}

async function readCache(datasetDir: string): Promise<CacheEntry | undefined> {
  try {
    return JSON.parse(await fs.promises.readFile(path.join(datasetDir, CACHE_FILE), 'utf8')) as CacheEntry;
  } catch {
    return undefined; // missing or damaged: validate again
  }
}

async function writeCache(datasetDir: string, entry: CacheEntry): Promise<void> {
  await fs.promises.mkdir(path.dirname(path.join(datasetDir, CACHE_FILE)), { recursive: true });
  await writeFileAtomic(path.join(datasetDir, CACHE_FILE), JSON.stringify(entry));
}
