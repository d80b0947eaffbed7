import { forEachDatasetLine } from './datasetLines';
import type { Manifest } from './manifest';

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
  const skipped: SkippedCounts = { invalid: 0, duplicates: 0 };
  await forEachDatasetLine(
    datasetDir,
    ({ file, raw, result, duplicateOf }) => {
      if (result.key === undefined || result.record === undefined) {
        if (result.hasError) skipped.invalid++;
        return;
      }
      if (duplicateOf) {
        skipped.duplicates++;
        return;
      }
      return onRecord({ file, line: raw.lineNumber, text: raw.text, record: result.record, key: result.key });
    },
    options,
  );
  return skipped;
}
