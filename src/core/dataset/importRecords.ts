import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic, type AtomicWriter } from '../fs/atomicWrite';
import { RECORDS_FILE, STATE_DIR } from './manifest';

export interface ImportResult {
  /** Lines taken from the source file (blank lines included, as they are kept). */
  readonly linesImported: number;
  /** Where the replaced records were kept, for `replace`. */
  readonly backup?: string;
}

/**
 * Adds the lines of a JSONL file to a dataset's `records.jsonl` (or replaces them, keeping a backup in
 * `.rft/backups/`). Bytes are copied as they are, invalid lines included: health reports them, nothing is
 * dropped. The write is atomic: cancelling (the signal) leaves the records as they were.
 */
export async function importRecords(source: string, datasetDir: string, options: { replace?: boolean; signal?: AbortSignal } = {}): Promise<ImportResult> {
  const stat = await fs.promises.stat(source);
  if (!stat.isFile()) throw new Error(`${source} is not a file`);
  const target = path.join(datasetDir, RECORDS_FILE);
  const existing = fs.existsSync(target) ? await fs.promises.stat(target) : undefined;
  let backup: string | undefined;
  if (options.replace && existing && existing.size > 0) {
    backup = path.join(datasetDir, STATE_DIR, 'backups', `records-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`);
    await fs.promises.mkdir(path.dirname(backup), { recursive: true });
    await fs.promises.copyFile(target, backup);
  }
  let lines = 0;
  await writeFileAtomic(target, async (write) => {
    if (!options.replace && existing && existing.size > 0) {
      const last = await copyFile(target, write);
      if (last !== 0x0a) await write('\n');
    }
    let last = 0x0a;
    for await (const chunk of fs.createReadStream(source, { highWaterMark: 1 << 20, signal: options.signal }) as AsyncIterable<Buffer>) {
      for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) lines++;
      await write(chunk);
      last = chunk[chunk.length - 1];
    }
    if (stat.size > 0 && last !== 0x0a) {
      lines++;
      await write('\n');
    }
  });
  return { linesImported: lines, backup };
}

/** Copies a file into the writer; returns its last byte (or the newline code for an empty file). */
async function copyFile(file: string, write: AtomicWriter): Promise<number> {
  let last = 0x0a;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    await write(chunk);
    last = chunk[chunk.length - 1];
  }
  return last;
}
