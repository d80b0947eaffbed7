import * as fs from 'node:fs';
import * as path from 'node:path';
import { findDatasetDir, GENERATED_FILE, GRADER_FILE, MANIFEST_FILE, RECORDS_FILE, STATE_DIR, TOPICS_FILE } from './manifest';

/** The files of a dataset that no output (`--out`, `--export`, a save dialog) may be written onto. */
export const PROTECTED_FILES: readonly string[] = [RECORDS_FILE, GENERATED_FILE, TOPICS_FILE, GRADER_FILE, MANIFEST_FILE];

/** An output path that would overwrite a dataset's own file; the CLI answers it with exit code 2. */
export class ProtectedPathError extends Error {}

/**
 * Throws a ProtectedPathError when `output` is one of a dataset's own files (records.jsonl, generated.jsonl,
 * topics.json, grader.json, rft.json) or lies under its `.rft/` folder. The dataset is the one that contains the
 * output (nearest rft.json above it) and any of `datasetDirs`. Symlinks, `..`, letter case and hard links are
 * seen through, so `./ds/../ds/RECORDS.jsonl` or a link to records.jsonl are refused too.
 */
export function assertNotDatasetFile(output: string, datasetDirs: readonly string[] = []): void {
  const resolved = realPathOf(output);
  const containing = findDatasetDir(path.dirname(resolved));
  const dirs = [...new Set([...datasetDirs.map(realPathOf), ...(containing ? [containing] : [])])];
  for (const dir of dirs) {
    const owned = ownedName(dir, resolved) ?? sameFileAs(dir, resolved);
    if (owned)
      throw new ProtectedPathError(`refusing to write ${output}: it is ${owned} of the dataset ${dir}; choose an output outside the dataset's own files (e.g. ${path.join(dir, 'exports')}/…)`);
  }
}

/** The dataset file (or `.rft/`) that `resolved` names inside `dir`, comparing without letter case. */
function ownedName(dir: string, resolved: string): string | undefined {
  const relative = path.relative(dir, resolved);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const parts = relative.split(path.sep);
  if (parts[0].toLowerCase() === STATE_DIR) return `inside ${STATE_DIR}/`;
  if (parts.length !== 1) return undefined;
  return PROTECTED_FILES.find((name) => name.toLowerCase() === parts[0].toLowerCase());
}

/** The dataset file that `resolved` already is under another name (a hard link, a case-insensitive file system). */
function sameFileAs(dir: string, resolved: string): string | undefined {
  const target = statOf(resolved);
  if (!target) return undefined;
  return PROTECTED_FILES.find((name) => {
    const own = statOf(path.join(dir, name));
    return own !== undefined && own.dev === target.dev && own.ino === target.ino;
  });
}

function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

/** The real path of `file`: the deepest part that exists is resolved through links, the rest is appended. */
function realPathOf(file: string): string {
  let existing = path.resolve(file);
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync.native(existing), ...rest);
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return path.resolve(file);
      rest.unshift(path.basename(existing));
      existing = parent;
    }
  }
}
