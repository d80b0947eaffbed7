import * as fs from 'node:fs';
import * as path from 'node:path';
import { importRecords } from '../dataset/importRecords';
import { initDataset } from '../dataset/initDataset';
import { datasetRecordFiles, MANIFEST_FILE, readManifest, STATE_DIR, writeManifest } from '../dataset/manifest';
import { LineSplitter } from '../jsonl/lineSplitter';
import { isBlankLine, validateLine } from '../validation/lineValidator';
import { resolveValidationSettings } from '../validation/settings';
import { RecordKeySet } from '../validation/keySet';
import { recordKey } from '../validation/recordKey';
import { isPlainObject } from '../validation/recordShape';
import { SeededSample } from '../random/seededSample';
import { filterReason, type TraceFilters } from './filters';
import { toPromptRecord } from './toPromptRecord';
import type { TraceCall, TraceSkip, TraceSourceKind } from './traceCall';

/** Produces the calls of a source (a trace file through its adapter, or an API), reporting what it skips. */
export type CallSource = (sink: { call(call: TraceCall): void; skip(skip: TraceSkip): void }, signal?: AbortSignal) => Promise<void>;

export interface ExtractOptions {
  readonly kind: TraceSourceKind;
  readonly calls: CallSource;
  /** Where the records came from, for the manifest's `source` (file path or base URL). */
  readonly origin: { readonly file?: string; readonly baseUrl?: string };
  readonly filters: TraceFilters;
  readonly datasetDir: string;
  /** Used when the dataset does not exist yet. */
  readonly name?: string;
  readonly objective?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (report: ExtractReport) => void;
}

export interface ExtractReport {
  /** Input units read: calls found plus items that could not become calls. */
  read: number;
  /** Calls that passed the filters and became prompt records. */
  converted: number;
  /** Why the rest did not, counted per reason, with the first few places for each. */
  skipped: Record<string, number>;
  skippedAt: Record<string, string[]>;
  /** Converted records already in the dataset (or twice in this extraction). */
  duplicates: number;
  written: number;
  /** Written records that validation finds errors in (health shows them; they are kept, never dropped). */
  invalid: number;
}

/**
 * Extraction (pipeline step 1): reads the calls of a source, filters them, turns them into prompt records,
 * drops those the dataset already has, and appends the rest to `records.jsonl` atomically. Creates the
 * dataset when needed, and records the source and a cursor in `rft.json` so "Pull New Traces" continues.
 */
export async function extractTraces(options: ExtractOptions): Promise<ExtractReport> {
  const { datasetDir, filters } = options;
  options.signal?.throwIfAborted();
  if (!fs.existsSync(path.join(datasetDir, MANIFEST_FILE))) {
    await initDataset(datasetDir, { name: options.name ?? path.basename(path.resolve(datasetDir)), objective: options.objective, sourceKind: options.kind });
  }
  const report: ExtractReport = { read: 0, converted: 0, skipped: {}, skippedAt: {}, duplicates: 0, written: 0, invalid: 0 };
  const settings = resolveValidationSettings((await readManifest(datasetDir)).settings?.validation);
  const keys = await existingKeys(datasetDir);
  const sample = filters.sample !== undefined ? new SeededSample<string>(filters.sample, filters.seed ?? 0) : undefined;
  const pending = new PendingRecords(datasetDir);
  let latest: string | undefined;
  const limitReached = () => filters.limit !== undefined && pending.count >= filters.limit;
  const controller = new AbortController();
  const stop = () => controller.abort();
  options.signal?.addEventListener('abort', stop);
  // only what is written is validated: with --sample, most converted records are never written
  const write = (line: string) => {
    if (validateLine({ text: line, byteLength: Buffer.byteLength(line) }, settings).hasError) report.invalid++;
    pending.add(line);
  };
  const skip = (reason: string, at: string) => {
    report.skipped[reason] = (report.skipped[reason] ?? 0) + 1;
    const places = (report.skippedAt[reason] ??= []);
    if (places.length < 5) places.push(at);
  };
  try {
    try {
      await options.calls(
        {
          skip: (item) => {
            if (limitReached()) return; // the source may deliver a few more before it notices the stop
            report.read++;
            skip(item.reason, item.at);
          },
          call: (call) => {
            if (limitReached()) return;
            report.read++;
            const filtered = filterReason(call, filters);
            if (filtered) return skip(filtered, call.id);
            const converted = toPromptRecord(call);
            if ('skip' in converted) return skip(converted.skip, call.id);
            report.converted++;
            const key = recordKey(converted.record, '');
            if (keys.addOrFind(key, 0, 0)) {
              report.duplicates++;
              return;
            }
            if (call.startTime && (!latest || call.startTime > latest)) latest = call.startTime;
            const line = JSON.stringify(converted.record);
            if (sample) sample.add(line);
            else write(line);
            if (limitReached()) stop();
            if (report.read % 1000 === 0) options.onProgress?.(report);
          },
        },
        controller.signal,
      );
    } catch (error) {
      // Our own stop (the limit was reached) ends the source early; anything else is a failure.
      if (!controller.signal.aborted || options.signal?.aborted) throw error;
    }
    if (sample) for (const line of sample.items().slice(0, filters.limit)) write(line);
    report.written = await pending.appendTo(datasetDir);
  } finally {
    options.signal?.removeEventListener('abort', stop);
    pending.discard();
  }
  await recordSource(datasetDir, options, latest);
  options.onProgress?.(report);
  return report;
}

/** The record keys the dataset already holds (valid or not), so extraction never adds a copy. */
async function existingKeys(datasetDir: string): Promise<RecordKeySet> {
  const keys = new RecordKeySet();
  for (const file of datasetRecordFiles(datasetDir)) {
    const splitter = new LineSplitter(64 << 20, (line) => {
      if (line.tooLong || isBlankLine(line.text)) return;
      try {
        const value: unknown = JSON.parse(line.text);
        if (isPlainObject(value) && Array.isArray(value.messages)) keys.addOrFind(recordKey(value, line.text), 0, line.lineNumber);
      } catch {
        // an invalid existing line cannot be a copy of a converted record
      }
    });
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) splitter.push(chunk);
    splitter.end();
  }
  return keys;
}

/**
 * Converted records on their way into the dataset: buffered into a temporary file (memory stays flat whatever
 * the source's size), then appended through the atomic import, so a crash leaves records.jsonl as it was.
 */
class PendingRecords {
  private readonly file: string;
  private fd: number | undefined;
  private buffer: string[] = [];
  private bufferedChars = 0;
  count = 0;

  constructor(datasetDir: string) {
    this.file = path.join(datasetDir, STATE_DIR, 'tmp', `extract-${process.pid}-${Date.now()}.jsonl`);
  }

  add(line: string): void {
    this.buffer.push(line);
    this.bufferedChars += line.length;
    this.count++;
    if (this.bufferedChars > 1 << 20) this.flush();
  }

  async appendTo(datasetDir: string): Promise<number> {
    this.flush();
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
    if (this.count > 0) await importRecords(this.file, datasetDir);
    return this.count;
  }

  discard(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
    fs.rmSync(this.file, { force: true });
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    if (this.fd === undefined) {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      this.fd = fs.openSync(this.file, 'w');
    }
    fs.writeSync(this.fd, `${this.buffer.join('\n')}\n`);
    this.buffer = [];
    this.bufferedChars = 0;
  }
}

/** `rft.json` → `source`: where the records come from, the filters, and the cursor of the last pull. */
async function recordSource(datasetDir: string, options: ExtractOptions, latest: string | undefined): Promise<void> {
  const manifest = await readManifest(datasetDir);
  const previous = (manifest.source ?? {}) as Record<string, unknown>;
  const { limit: _limit, sample: _sample, seed: _seed, ...kept } = options.filters;
  const cursor = latest && (typeof previous.cursor !== 'string' || latest > previous.cursor) ? latest : previous.cursor;
  await writeManifest(datasetDir, {
    ...manifest,
    source: { ...previous, kind: options.kind, ...options.origin, filters: kept, lastPull: new Date().toISOString(), ...(cursor ? { cursor } : {}) },
  });
}
