// A grader's script files inside the dataset: graders/<name>.js|.py, made from a template when missing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../core/fs/atomicWrite';
import { GRADERS_DIR } from '../../core/grader/graderFile';
import type { Grader } from '../../core/grader/graderSchema';
import { JS_TYPES_FILE, scriptTemplate } from './scriptTemplates';

/** The script files (graders/<name>.js|.py) a grader's js and python graders name. */
export function scriptFiles(grader: Grader): { kind: 'js' | 'python'; file: string }[] {
  const leaves = grader.type === 'multi' ? Object.values(grader.graders) : [grader];
  return leaves.flatMap((leaf) => ((leaf.type === 'js' || leaf.type === 'python') && leaf.file !== undefined ? [{ kind: leaf.type, file: leaf.file }] : []));
}

/**
 * graders/<name>.js|.py inside the dataset, created (from `source` or a template) when missing; its full path. A js
 * grader gets the input's types (grader-js.d.ts) beside it, so its editor completes `input.`.
 */
export async function createScript(dir: string, kind: 'js' | 'python', file: string, source: string | undefined, typesFile: string): Promise<string> {
  const relative = path.posix.normalize(file.trim().replace(/\\/g, '/'));
  const extension = kind === 'js' ? '.js' : '.py';
  if (!relative.startsWith(`${GRADERS_DIR}/`) || relative.includes('..') || path.posix.isAbsolute(relative) || !relative.endsWith(extension)) {
    throw new Error(`A ${kind} grader's file is ${GRADERS_DIR}/<name>${extension} inside the dataset, not "${file}".`);
  }
  const full = path.join(dir, ...relative.split('/'));
  if (!fs.existsSync(full)) {
    await fs.promises.mkdir(path.dirname(full), { recursive: true });
    await writeFileAtomic(full, source ?? scriptTemplate(kind));
  }
  const types = path.join(path.dirname(full), JS_TYPES_FILE);
  if (kind === 'js' && !fs.existsSync(types) && fs.existsSync(typesFile)) await writeFileAtomic(types, await fs.promises.readFile(typesFile));
  return full;
}
