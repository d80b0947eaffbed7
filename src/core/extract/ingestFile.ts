import * as fs from 'node:fs';
import * as path from 'node:path';
import { importRecords, type ImportResult } from '../dataset/importRecords';
import { STATE_DIR } from '../dataset/manifest';
import { extractTraces, type ExtractReport } from './extract';
import { adapterForFile, fileCalls } from './fileSource';
import type { TraceSourceKind } from './traceCall';

export type IngestResult =
  { readonly as: 'records'; readonly result: ImportResult } | { readonly as: 'traces'; readonly format: TraceSourceKind; readonly report: ExtractReport; readonly backup?: string };

/**
 * Adds a file to a dataset whatever it holds: chat JSONL (or anything that is not a known trace format) is
 * imported as records byte for byte, so health can report every line; gateway traces go through extraction.
 * `replace` first empties the records, keeping a backup.
 */
export async function ingestFile(file: string, datasetDir: string, options: { replace?: boolean; signal?: AbortSignal } = {}): Promise<IngestResult> {
  const adapter = await adapterForFile(file, 'auto').catch(() => undefined);
  if (!adapter || adapter.kind === 'chat') return { as: 'records', result: await importRecords(file, datasetDir, options) };
  const backup = options.replace ? await emptyRecords(datasetDir) : undefined;
  const report = await extractTraces({ kind: adapter.kind, calls: fileCalls(file, adapter), origin: { file }, filters: {}, datasetDir, signal: options.signal });
  return { as: 'traces', format: adapter.kind, report, backup };
}

async function emptyRecords(datasetDir: string): Promise<string | undefined> {
  const empty = path.join(datasetDir, STATE_DIR, 'tmp', `empty-${process.pid}.jsonl`);
  await fs.promises.mkdir(path.dirname(empty), { recursive: true });
  await fs.promises.writeFile(empty, '');
  try {
    return (await importRecords(empty, datasetDir, { replace: true })).backup;
  } finally {
    await fs.promises.rm(empty, { force: true });
  }
}
