import * as fs from 'node:fs';
import * as path from 'node:path';
import { MANIFEST_FILE, STATE_DIR } from './manifest';

/** Folders never searched for datasets: tooling, dependencies, and a dataset's own machine state and exports. */
const SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn', STATE_DIR, 'exports', 'dist', 'out', '.vscode-test', '.cache']);
const MAX_DEPTH = 6;

/** Every dataset (a folder holding `rft.json`) at or below each root, sorted by path; roots are searched in order. */
export async function discoverDatasets(roots: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const root of roots) await walk(path.resolve(root), 0, found);
  return [...found].sort();
}

async function walk(dir: string, depth: number, found: Set<string>): Promise<void> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true });
  } catch {
    return; // unreadable folders are simply not datasets
  }
  if (entries.some((entry) => entry.isFile() && entry.name === MANIFEST_FILE)) found.add(dir);
  if (depth >= MAX_DEPTH) return;
  for (const entry of entries) {
    if (entry.isDirectory() && !SKIPPED.has(entry.name) && !entry.name.startsWith('.')) await walk(path.join(dir, entry.name), depth + 1, found);
  }
}
