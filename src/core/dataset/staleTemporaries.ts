import * as fs from 'node:fs';
import * as path from 'node:path';
import { removeStaleTemporaries } from '../fs/atomicWrite';
import { STATE_DIR } from './manifest';

/**
 * Removes what a killed write of ours left in a dataset (its folder, `.rft/` and the folders directly in it):
 * temporaries of dead writers older than an hour. Called when a dataset command starts.
 */
export function removeDatasetTemporaries(datasetDir: string): string[] {
  const state = path.join(datasetDir, STATE_DIR);
  let stateFolders: string[] = [];
  try {
    stateFolders = fs
      .readdirSync(state, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(state, entry.name));
  } catch {
    // no .rft yet
  }
  return removeStaleTemporaries([datasetDir, state, ...stateFolders]);
}
