import * as fs from 'node:fs';
import { LineSplitter, type RawLine } from '../jsonl/lineSplitter';
import { RecordKeySet } from '../validation/keySet';
import { isBlankLine, validateLine, type LineResult } from '../validation/lineValidator';
import { resolveValidationSettings } from '../validation/settings';
import { datasetRecordFiles, readManifest, type Manifest } from './manifest';

/** One non-blank line of a dataset's record files, validated, with where its record key was first seen when it is a copy. */
export interface DatasetLine {
  /** Absolute path of the record file. */
  readonly file: string;
  /** Index of the file in datasetRecordFiles order (records.jsonl first). */
  readonly fileIndex: number;
  readonly raw: RawLine;
  readonly result: LineResult;
  /** A later copy of a record key seen before: where the first one is. */
  readonly duplicateOf?: { readonly file: string; readonly line: number };
}

/**
 * Streams every non-blank line of a dataset (records.jsonl, then generated.jsonl), validated by the health
 * engine and deduplicated across both files in file order. `onLine` may be async; the stream waits for it at
 * chunk boundaries.
 */
export async function forEachDatasetLine(datasetDir: string, onLine: (line: DatasetLine) => void | Promise<void>, options: { signal?: AbortSignal; manifest?: Manifest } = {}): Promise<void> {
  const manifest = options.manifest ?? (await readManifest(datasetDir));
  const settings = resolveValidationSettings(manifest.settings?.validation);
  const keys = new RecordKeySet();
  const files = datasetRecordFiles(datasetDir);
  for (let fileIndex = 0; fileIndex < files.length; fileIndex++) {
    const file = files[fileIndex];
    const pending: DatasetLine[] = [];
    const splitter = new LineSplitter(settings.maxLineBytes, (raw) => {
      if (!raw.tooLong && !raw.invalidUtf8 && isBlankLine(raw.text)) return;
      const result = validateLine(raw, settings);
      const first = result.key === undefined ? undefined : keys.addOrFind(result.key, fileIndex, raw.lineNumber);
      pending.push({ file, fileIndex, raw, result, ...(first ? { duplicateOf: { file: files[first.fileIndex], line: first.line } } : {}) });
    });
    const flush = async () => {
      for (const line of pending.splice(0)) await onLine(line);
    };
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20, signal: options.signal }) as AsyncIterable<Buffer>) {
      splitter.push(chunk);
      await flush();
    }
    splitter.end();
    await flush();
  }
}
