import * as fs from 'node:fs';
import * as path from 'node:path';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { writeFileAtomic } from '../fs/atomicWrite';
import { isPlainObject } from '../validation/recordShape';
import { readLabels, type Label } from './labels';
import { GENERATED_FILE, readManifest } from './manifest';
import { assertNotDatasetFile } from './protectedPaths';
import { forEachValidRecord } from './validRecords';

export interface ExportResult {
  readonly exported: number;
  /** Records left out: invalid ones and later duplicates (they stay in the dataset). */
  readonly skippedInvalid: number;
  readonly skippedDuplicates: number;
  readonly labeled: number;
}

/**
 * Writes a dataset's valid records (records.jsonl, then generated.jsonl; duplicates once) to one JSONL file,
 * merging the labels back into `metadata` (docs/dataset-format.md §Labels): `topic` and `topic_confidence` from `.rft/labels.jsonl`
 * unless the record has its own `metadata.topic` (a manual label), and `source` when the record has none.
 * Records are otherwise copied byte for byte.
 */
export async function exportRecords(datasetDir: string, out: string, options: { signal?: AbortSignal } = {}): Promise<ExportResult> {
  assertNotDatasetFile(out, [datasetDir]);
  const manifest = await readManifest(datasetDir);
  const { labels } = await readLabels(datasetDir);
  let exported = 0;
  let labeled = 0;
  await fs.promises.mkdir(path.dirname(path.resolve(out)), { recursive: true });
  let skipped = { invalid: 0, duplicates: 0 };
  await writeFileAtomic(out, async (write) => {
    skipped = await forEachValidRecord(
      datasetDir,
      async ({ file, text, record, key }) => {
        const source = path.basename(file) === GENERATED_FILE ? 'generated' : (manifest.source?.kind ?? 'upload');
        const merged = withMetadata(text, record, labels.get(key), source);
        if (merged.labeled) labeled++;
        exported++;
        await write(`${merged.text}\n`);
      },
      { signal: options.signal, manifest },
    );
  });
  return { exported, skippedInvalid: skipped.invalid, skippedDuplicates: skipped.duplicates, labeled };
}

/** Adds the missing metadata fields with a minimal text edit, so the rest of the line stays as it was. */
function withMetadata(text: string, record: Record<string, unknown> | undefined, label: Label | undefined, source: string): { text: string; labeled: boolean } {
  const metadata = isPlainObject(record?.metadata) ? record.metadata : undefined;
  if (record?.metadata !== undefined && !metadata) return { text, labeled: false }; // not an object: left as the user wrote it
  const fields: [string, unknown][] = [];
  const labeled = label !== undefined && metadata?.topic === undefined;
  if (labeled) fields.push(['topic', label.topic], ['topic_confidence', label.confidence]);
  if (metadata?.source === undefined) fields.push(['source', source]);
  if (fields.length === 0) return { text, labeled: false };
  const members = fields.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',');
  const root = parseTree(text);
  if (!root) return { text, labeled: false };
  const node = findNodeAtLocation(root, ['metadata']);
  if (!node) {
    const at = root.offset + root.length - 1;
    return { text: `${text.slice(0, at)},"metadata":{${members}}${text.slice(at)}`, labeled };
  }
  const at = node.offset + 1;
  const separator = (node.children?.length ?? 0) > 0 ? ',' : '';
  return { text: `${text.slice(0, at)}${members}${separator}${text.slice(at)}`, labeled };
}
