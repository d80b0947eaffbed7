import { parseArgs } from 'node:util';
import { SPLIT_FORMATS, type SplitFormat } from '../../core/train/rftRows';
import { splitDataset, SplitError, type SplitResult } from '../../core/train/split';
import type { Output } from '../output';
import { EXIT_OK, parsePositiveInt, UsageError } from '../usage';
import { requireDataset } from './dataset';

export async function splitCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      valid: { type: 'string' },
      'no-stratify': { type: 'boolean', default: false },
      'generated-in-valid': { type: 'boolean', default: false },
      'min-valid': { type: 'string' },
      seed: { type: 'string' },
      format: { type: 'string' },
      'max-train': { type: 'string' },
      'max-valid': { type: 'string' },
      'no-limits': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('split needs exactly one <dataset folder>');
  const dir = requireDataset(positionals[0], 'split');
  const format = values.format ?? 'rft';
  if (!(SPLIT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be rft or sft, got "${format}"`);
  const validShare = values.valid === undefined ? undefined : Number(values.valid);
  if (validShare !== undefined && !(validShare > 0 && validShare < 1)) throw new UsageError(`--valid needs a share between 0 and 1 (e.g. 0.1), got "${values.valid}"`);
  const result = await splitDataset(dir, {
    validShare,
    stratify: !values['no-stratify'],
    generatedInValid: values['generated-in-valid'],
    minValid: parsePositiveInt('--min-valid', values['min-valid']),
    seed: parsePositiveInt('--seed', values.seed),
    format: format as SplitFormat,
    maxTrain: parsePositiveInt('--max-train', values['max-train']),
    maxValid: parsePositiveInt('--max-valid', values['max-valid']),
    ...(values['no-limits'] ? { limits: false as const } : {}),
  }).catch((error: unknown) => {
    throw error instanceof SplitError ? new UsageError(error.message) : error;
  });
  output.out(values.json ? `${JSON.stringify(splitJson(result))}\n` : formatSplit(result));
  return EXIT_OK;
}

/** The `--json` shape (a contract, see README). */
function splitJson(result: SplitResult) {
  return {
    train: result.train,
    valid: result.valid,
    byTopic: result.byTopic,
    files: result.files,
    format: result.format,
    changes: result.changes,
    fingerprint: result.fingerprint,
    warnings: result.warnings,
  };
}

function formatSplit(result: SplitResult): string {
  const total = result.train + result.valid;
  const share = (n: number) => `${Math.round((100 * n) / total)} %`;
  const width = Math.max(5, ...result.byTopic.map((t) => t.topic.length));
  const lines = [
    `Split (${result.format.toUpperCase()}): ${result.train.toLocaleString('en-US')} train (${share(result.train)}), ${result.valid.toLocaleString('en-US')} validation (${share(result.valid)})`,
    `${'topic'.padEnd(width)}  ${'train'.padStart(7)}  ${'valid'.padStart(7)}`,
    ...result.byTopic.map((t) => `${t.topic.padEnd(width)}  ${String(t.train).padStart(7)}  ${String(t.valid).padStart(7)}`),
    ...result.changes.map((change) => `- ${change}`),
    ...result.warnings.map((warning) => `⚠ ${warning.message}`),
    `Wrote ${result.files.train} and ${result.files.valid}`,
  ];
  return `${lines.join('\n')}\n`;
}
