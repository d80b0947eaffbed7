import * as fs from 'node:fs';
import * as path from 'node:path';
import { readManifest, STATE_DIR, writeManifest } from './manifest';

/** Copies a dataset to a new folder under a new name; machine state (`.rft/`) and exports are not copied. */
export async function duplicateDataset(sourceDir: string, targetDir: string, name: string): Promise<void> {
  if (fs.existsSync(targetDir)) throw new Error(`${targetDir} already exists`);
  const manifest = await readManifest(sourceDir);
  const skipped = new Set([path.resolve(sourceDir, STATE_DIR), path.resolve(sourceDir, 'exports')]);
  await fs.promises.cp(sourceDir, targetDir, { recursive: true, filter: (from) => !skipped.has(path.resolve(from)) });
  await writeManifest(targetDir, { ...manifest, name, createdAt: new Date().toISOString() });
}
