import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../fs/atomicWrite';
import { fsProblem } from '../fs/fsProblem';
import { parseJsonWithSchema } from '../fs/parseJsonWithSchema';
import { validationSettingsSchema } from '../validation/settings';

export const MANIFEST_FILE = 'rft.json';
export const RECORDS_FILE = 'records.jsonl';
export const GENERATED_FILE = 'generated.jsonl';
export const TOPICS_FILE = 'topics.json';
export const GRADER_FILE = 'grader.json';
/** Machine state, safe to delete and rebuild (docs/dataset-format.md §The dataset folder). */
export const STATE_DIR = '.rft';

/** `settings.split`: rft split's defaults (its flags win). Checked here once, so a wrong type is an error naming the
 * key and the file rather than a default used in silence. */
export const splitSettingsSchema = z
  .object({
    validShare: z.number().gt(0).lt(1).optional(),
    stratify: z.boolean().optional(),
    generatedInValid: z.boolean().optional(),
    minValid: z.number().int().nonnegative().optional(),
    seed: z.number().int().nonnegative().optional(),
  })
  .strict();

/** `rft.json`: the dataset manifest (docs/dataset-format.md). Unknown keys are kept, so newer manifests still load. */
export const manifestSchema = z
  .object({
    name: z.string().min(1),
    objective: z.string().optional(),
    createdAt: z.string().optional(),
    source: z
      .object({
        kind: z.string().min(1),
        file: z.string().optional(),
        lastPull: z.string().optional(),
      })
      .passthrough()
      .optional(),
    settings: z
      .object({
        validation: validationSettingsSchema.optional(),
        split: splitSettingsSchema.optional(),
      })
      .passthrough()
      .optional(),
    /** Target share per topic path ("parent/leaf" or "parent"), 0..1; leaves without one share the rest evenly. */
    coverage: z
      .object({ targets: z.record(z.string(), z.number().min(0).max(1)).optional() })
      .passthrough()
      .optional(),
  })
  .passthrough();

export type Manifest = z.infer<typeof manifestSchema>;

export class ManifestError extends Error {}

/** Reads and checks `rft.json` in a dataset folder; the error says which field is wrong. */
export async function readManifest(datasetDir: string): Promise<Manifest> {
  const file = path.join(datasetDir, MANIFEST_FILE);
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ManifestError(`cannot read ${file}: ${fsProblem(code) ?? code ?? String(error)}`);
  }
  return parseManifest(text, file);
}

export function parseManifest(text: string, file = MANIFEST_FILE): Manifest {
  return parseJsonWithSchema(text, manifestSchema, file, (message) => new ManifestError(message));
}

/** Writes `rft.json` atomically, pretty-printed as people edit it. */
export async function writeManifest(datasetDir: string, manifest: Manifest): Promise<void> {
  await writeFileAtomic(path.join(datasetDir, MANIFEST_FILE), `${JSON.stringify(manifestSchema.parse(manifest), null, 2)}\n`);
}

/** The folder of the nearest `rft.json` at or above `start`, not above `stop` when given. */
export function findDatasetDir(start: string, stop?: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, MANIFEST_FILE))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir || (stop !== undefined && path.resolve(stop) === dir)) return undefined;
    dir = parent;
  }
}

/** The record files of a dataset that exist, in deduplication order: user records first, then generated. */
export function datasetRecordFiles(datasetDir: string): string[] {
  return [RECORDS_FILE, GENERATED_FILE].map((name) => path.join(datasetDir, name)).filter((file) => fs.existsSync(file));
}
