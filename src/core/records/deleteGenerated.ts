import * as fs from 'node:fs';
import * as path from 'node:path';
import { forEachDatasetLine } from '../dataset/datasetLines';
import { readLabels, writeLabels } from '../dataset/labels';
import { GENERATED_FILE, readManifest, RECORDS_FILE } from '../dataset/manifest';
import { writeFileAtomic } from '../fs/atomicWrite';
import { isBlankLine, validateLine } from '../validation/lineValidator';
import { resolveValidationSettings } from '../validation/settings';
import { RecordsError } from './recordsTypes';

/** A line named for deletion: its file's name in the dataset folder and its 1-based line number. */
export interface LineRef {
  readonly file: string;
  readonly line: number;
}

export interface DeleteResult {
  /** generated.jsonl line numbers removed, ascending. */
  readonly lines: number[];
  /** Labels dropped: their record key no longer occurs anywhere in the dataset. */
  readonly labelsDropped: number;
}

/**
 * Deletes generated records (spec workflow "Fix Bad Generated Data"): generated.jsonl is rewritten atomically
 * without the named lines, every other byte kept; labels of keys no longer in the dataset are dropped.
 * records.jsonl is the user's data and is never touched: naming one of its lines refuses the whole request.
 * `expect` (the size and mtime the lines were listed from) refuses a file that changed since, whose line numbers
 * may have moved.
 */
export async function deleteGeneratedRecords(datasetDir: string, refs: readonly LineRef[], options: { expect?: { size: number; mtimeMs: number } } = {}): Promise<DeleteResult> {
  const foreign = refs.filter((ref) => ref.file !== GENERATED_FILE);
  if (foreign.length > 0) {
    const named = foreign
      .map((ref) => `${ref.file}:${ref.line}`)
      .slice(0, 5)
      .join(', ');
    throw new RecordsError(
      `Only generated records can be deleted (${GENERATED_FILE}); ${named} ${foreign.length === 1 ? 'is' : 'are'} not. ${RECORDS_FILE} holds your own records and is never rewritten here: edit it in the editor.`,
    );
  }
  const wanted = new Set<number>();
  for (const ref of refs) {
    if (!Number.isInteger(ref.line) || ref.line < 1) throw new RecordsError(`${GENERATED_FILE}: "${ref.line}" is not a line number.`);
    wanted.add(ref.line);
  }
  if (wanted.size === 0) throw new RecordsError('No lines to delete.');
  const file = path.join(datasetDir, GENERATED_FILE);
  const stat = await fs.promises.stat(file).catch(() => undefined);
  if (!stat) throw new RecordsError(`This dataset has no ${GENERATED_FILE}.`);
  if (options.expect && (options.expect.size !== stat.size || options.expect.mtimeMs !== stat.mtimeMs)) {
    throw new RecordsError(`${GENERATED_FILE} changed since the records were listed (its line numbers may have moved); refresh and select again.`);
  }
  const bytes = await fs.promises.readFile(file);
  const settings = resolveValidationSettings((await readManifest(datasetDir)).settings?.validation);
  const kept: Buffer[] = [];
  const removedKeys = new Set<string>();
  let line = 0;
  for (let start = 0; start < bytes.length;) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline === -1 ? bytes.length : newline + 1;
    line++;
    if (wanted.has(line)) {
      const text = bytes
        .subarray(start, newline === -1 ? bytes.length : newline)
        .toString('utf8')
        .replace(/\r$/, '')
        .replace(/^\uFEFF/, '');
      if (isBlankLine(text)) throw new RecordsError(`${GENERATED_FILE}:${line} is a blank line, not a record; nothing was deleted.`);
      const key = validateLine({ text, byteLength: Buffer.byteLength(text) }, settings).key;
      if (key) removedKeys.add(key);
    } else {
      kept.push(bytes.subarray(start, end));
    }
    start = end;
  }
  const missing = [...wanted].filter((n) => n > line);
  if (missing.length > 0) throw new RecordsError(`${GENERATED_FILE} has ${line} lines; there is no line ${missing.sort((a, b) => a - b).join(', ')}. Nothing was deleted.`);
  await writeFileAtomic(file, Buffer.concat(kept));
  return { lines: [...wanted].sort((a, b) => a - b), labelsDropped: await dropOrphanLabels(datasetDir, removedKeys) };
}

/** Drops the labels of `keys` that no line of the dataset carries any more (a copy elsewhere keeps its label). */
async function dropOrphanLabels(datasetDir: string, keys: Set<string>): Promise<number> {
  if (keys.size === 0) return 0;
  const { labels } = await readLabels(datasetDir);
  if (![...keys].some((key) => labels.has(key))) return 0;
  await forEachDatasetLine(datasetDir, ({ result }) => {
    if (result.key !== undefined) keys.delete(result.key);
  });
  let dropped = 0;
  for (const key of keys) if (labels.delete(key)) dropped++;
  if (dropped > 0) await writeLabels(datasetDir, labels.values());
  return dropped;
}
