import * as fs from 'node:fs';
import * as path from 'node:path';
import { LABELS_FILE, readLabels, type Label } from '../../core/dataset/labels';
import type { DatasetRegistry } from '../datasets/datasetRegistry';

/** The labels of each dataset, re-read only when `.rft/labels.jsonl` changed (for hovers on records). */
export class LabelIndex {
  private readonly cache = new Map<string, { mtimeMs: number; labels: ReadonlyMap<string, Label> }>();

  constructor(private readonly registry: DatasetRegistry) {}

  /** The label of a record key in the dataset holding `file`; undefined when the dataset has no labels file. */
  async labelOf(file: string, key: string): Promise<{ label?: Label } | undefined> {
    const dir = this.registry.datasetOf(file)?.dir;
    if (!dir) return undefined;
    let mtimeMs: number;
    try {
      mtimeMs = (await fs.promises.stat(path.join(dir, LABELS_FILE))).mtimeMs;
    } catch {
      return undefined;
    }
    let entry = this.cache.get(dir);
    if (!entry || entry.mtimeMs !== mtimeMs) {
      entry = { mtimeMs, labels: (await readLabels(dir)).labels };
      this.cache.set(dir, entry);
    }
    return { label: entry.labels.get(key) };
  }
}
