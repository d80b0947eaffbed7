import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { fixJsonlFile } from '../../core/fixes/fileFixer';
import { findDatasetDir, readManifest } from '../../core/dataset/manifest';
import { assertNotDatasetFile } from '../../core/dataset/protectedPaths';
import { removeStaleTemporaries } from '../../core/fs/atomicWrite';
import { FIXABLE_CODES, isFixableCode, type FixableCode } from '../../core/validation/codes';
import { resolveValidationSettings } from '../../core/validation/settings';
import type { Output } from '../output';
import { EXIT_OK, UsageError } from '../usage';
import * as path from 'node:path';

export async function fixCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { code: { type: 'string' }, out: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError('fix needs exactly one <file.jsonl>');
  if (!values.code) throw new UsageError(`fix needs --code <code>[,<code>..]; fixable codes: ${FIXABLE_CODES.join(', ')}`);
  const codes = new Set<FixableCode>();
  for (const code of values.code
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean)) {
    if (!isFixableCode(code)) throw new UsageError(`"${code}" has no automatic fix; fixable codes: ${FIXABLE_CODES.join(', ')}`);
    codes.add(code);
  }
  const source = positionals[0];
  if (!fs.existsSync(source) || !fs.statSync(source).isFile()) throw new UsageError(`cannot read ${source}: no such file`);
  const datasetDir = findDatasetDir(path.dirname(source));
  removeStaleTemporaries([path.dirname(source)]);
  const settings = resolveValidationSettings(datasetDir ? (await readManifest(datasetDir)).settings?.validation : undefined);
  if (values.out !== undefined) assertNotDatasetFile(values.out, datasetDir ? [datasetDir] : []);
  const destination = values.out ?? source;
  const backup = values.out === undefined ? `${source}.bak` : undefined;
  if (backup) await fs.promises.copyFile(source, backup);
  const summary = await fixJsonlFile(source, destination, codes, settings);
  const applied = Object.entries(summary.applied).map(([code, n]) => `${code} ${n}`);
  output.out(`Fixed ${applied.length > 0 ? applied.join(', ') : 'nothing'} · ${summary.linesIn} lines in, ${summary.linesOut} out → ${destination}${backup ? ` (backup: ${backup})` : ''}\n`);
  for (const skip of summary.skipped) output.out(`${source}:${skip.line}  not fixed  ${skip.code}  ${skip.reason}\n`);
  return EXIT_OK;
}
