import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../fs/atomicWrite';
import { MANIFEST_FILE, RECORDS_FILE, STATE_DIR, writeManifest, type Manifest } from './manifest';

export interface InitOptions {
  readonly name: string;
  readonly objective?: string;
  readonly sourceKind?: string;
}

/** Makes `dir` a dataset: `rft.json`, an empty `records.jsonl`, and a `.gitignore` that keeps `.rft/` out of git. */
export async function initDataset(dir: string, options: InitOptions): Promise<Manifest> {
  if (fs.existsSync(path.join(dir, MANIFEST_FILE))) throw new Error(`${dir} is already a dataset (it has ${MANIFEST_FILE})`);
  if (options.name.trim() === '') throw new Error('a dataset needs a name');
  await fs.promises.mkdir(dir, { recursive: true });
  const manifest: Manifest = {
    name: options.name.trim(),
    ...(options.objective ? { objective: options.objective } : {}),
    createdAt: new Date().toISOString(),
    ...(options.sourceKind ? { source: { kind: options.sourceKind } } : {}),
  };
  await writeManifest(dir, manifest);
  const records = path.join(dir, RECORDS_FILE);
  if (!fs.existsSync(records)) await writeFileAtomic(records, '');
  const gitignore = path.join(dir, '.gitignore');
  if (!fs.existsSync(gitignore)) await writeFileAtomic(gitignore, `# RFT Studio machine state (safe to delete, rebuilt on demand)\n${STATE_DIR}/\n`);
  return manifest;
}
