import * as fs from 'node:fs';
import { LineSplitter } from '../jsonl/lineSplitter';
import { RecordKeySet } from '../validation/keySet';
import { isBlankLine, validateLine } from '../validation/lineValidator';
import { resolveValidationSettings } from '../validation/settings';
import { datasetRecordFiles, readManifest, type Manifest } from './manifest';

/** A valid record of a dataset, where it is, and its record key. */
export interface ValidRecord {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly record: Record<string, unknown>;
  readonly key: string;
}

export interface SkippedCounts {
  /** Invalid lines (kept in the dataset, left out here). */
  invalid: number;
  /** Later copies of a record key seen before. */
  duplicates: number;
}

/**
 * Streams a dataset's valid records (records.jsonl, then generated.jsonl), each record key once, in file order.
 * `onRecord` may be async; the stream waits for it at chunk boundaries.
 */
export async function forEachValidRecord(
  datasetDir: string,
  onRecord: (record: ValidRecord) => void | Promise<void>,
  options: { signal?: AbortSignal; manifest?: Manifest } = {},
): Promise<SkippedCounts> {
  const manifest = options.manifest ?? (await readManifest(datasetDir));
  const settings = resolveValidationSettings(manifest.settings?.validation);
  const keys = new RecordKeySet();
  const skipped: SkippedCounts = { invalid: 0, duplicates: 0 };
  for (const file of datasetRecordFiles(datasetDir)) {
    const pending: ValidRecord[] = [];
    const splitter = new LineSplitter(settings.maxLineBytes, (line) => {
      if (line.tooLong || line.invalidUtf8) {
        skipped.invalid++;
        return;
      }
      if (isBlankLine(line.text)) return;
      const validated = validateLine(line, settings);
      if (validated.key === undefined || validated.record === undefined) {
        if (validated.hasError) skipped.invalid++;
        return;
      }
      if (keys.addOrFind(validated.key, 0, line.lineNumber)) {
        skipped.duplicates++;
        return;
      }
      pending.push({ file, line: line.lineNumber, text: line.text, record: validated.record, key: validated.key });
    });
    const flush = async () => {
      for (const record of pending.splice(0)) await onRecord(record);
    };
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20, signal: options.signal }) as AsyncIterable<Buffer>) {
      splitter.push(chunk);
      await flush();
    }
    splitter.end();
    await flush();
  }
  return skipped;
}
