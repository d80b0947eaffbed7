import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { STATE_DIR } from '../dataset/manifest';
import { writeFileAtomic } from '../fs/atomicWrite';
import { decodeSparse, encodeSparse, type SparseVector } from './sparseVector';

const CACHE_DIR = path.join(STATE_DIR, 'cache', 'embeddings');

/**
 * Embeddings by embedder + record key (docs/dataset-format.md §The dataset folder, `.rft/cache/`): one JSONL file per embedder id, a line per record
 * key. Re-running after an append embeds only the new records. Unreadable lines are skipped (they are re-embedded).
 */
export class EmbeddingCache {
  private constructor(
    private readonly file: string,
    private readonly vectors: Map<string, SparseVector>,
    /** Keys set since the last save; written by appending when nothing was removed. */
    private readonly added = new Set<string>(),
    private rewrite = false,
  ) {}

  static async open(datasetDir: string, embedderId: string): Promise<EmbeddingCache> {
    const name = `${embedderId.replace(/[^a-zA-Z0-9._-]+/g, '_').slice(0, 60)}-${crypto.createHash('sha1').update(embedderId).digest('hex').slice(0, 8)}.jsonl`;
    const file = path.join(datasetDir, CACHE_DIR, name);
    const vectors = new Map<string, SparseVector>();
    try {
      for (const line of (await fs.promises.readFile(file, 'utf8')).split('\n')) {
        if (!line) continue;
        try {
          const { k, v } = JSON.parse(line) as { k: string; v: string };
          vectors.set(k, decodeSparse(v));
        } catch {
          // a damaged line: that record is embedded again
        }
      }
    } catch {
      // no cache yet
    }
    return new EmbeddingCache(file, vectors);
  }

  get size(): number {
    return this.vectors.size;
  }

  get(key: string): SparseVector | undefined {
    return this.vectors.get(key);
  }

  set(key: string, vector: SparseVector): void {
    if (this.vectors.has(key)) this.rewrite = true;
    else this.added.add(key);
    this.vectors.set(key, vector);
  }

  /**
   * Writes the cache, keeping only `keep` (the dataset's current record keys) when given. New entries alone are
   * appended (a cache is safe to lose, and a torn last line is skipped on reading); anything else rewrites the
   * file atomically.
   */
  async save(keep?: ReadonlySet<string>): Promise<void> {
    if (keep)
      for (const key of this.vectors.keys())
        if (!keep.has(key)) {
          this.vectors.delete(key);
          this.rewrite = true;
        }
    if (!this.rewrite && this.added.size === 0) return;
    await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
    if (!this.rewrite) {
      const lines = [...this.added].map((k) => JSON.stringify({ k, v: encodeSparse(this.vectors.get(k)!) }));
      await fs.promises.appendFile(this.file, `${lines.join('\n')}\n`);
      this.added.clear();
      return;
    }
    await writeFileAtomic(this.file, async (write) => {
      let batch: string[] = [];
      for (const [k, vector] of this.vectors) {
        batch.push(JSON.stringify({ k, v: encodeSparse(vector) }));
        if (batch.length === 1000) {
          await write(`${batch.join('\n')}\n`);
          batch = [];
        }
      }
      if (batch.length > 0) await write(`${batch.join('\n')}\n`);
    });
    this.added.clear();
    this.rewrite = false;
  }
}
