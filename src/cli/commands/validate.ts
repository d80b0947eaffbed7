import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { datasetRecordFiles, findDatasetDir, MANIFEST_FILE, readManifest } from '../../core/dataset/manifest';
import { validateJsonlFiles, type ValidationReport } from '../../core/validation/fileValidator';
import { resolveValidationSettings, type ValidationSettingsInput } from '../../core/validation/settings';
import { formatHealthBox } from '../healthBox';
import type { Output } from '../output';
import { EXIT_INVALID, EXIT_OK, parseCount, parsePositiveInt, UsageError } from '../usage';

export async function validateCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      'max-tokens': { type: 'string' },
      'min-user-chars': { type: 'string' },
      'max-issues': { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('validate needs exactly one <file.jsonl | dataset folder>');
  const overrides: ValidationSettingsInput = {
    maxTokens: parseCount('--max-tokens', values['max-tokens']),
    minUserChars: parsePositiveInt('--min-user-chars', values['min-user-chars']),
  };
  const maxIssues = parsePositiveInt('--max-issues', values['max-issues']) ?? 1000;
  const target = await resolveTarget(positionals[0]);
  const settings = resolveValidationSettings(target.manifestSettings, overrides);
  const report = await validateJsonlFiles(target.files, { settings, maxIssues }).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${error.path ?? positionals[0]}: ${error.code ?? error.message}`);
  });
  output.out(values.json ? `${JSON.stringify(toJson(report))}\n` : formatHuman(positionals[0], report));
  return report.counts.invalid > 0 ? EXIT_INVALID : EXIT_OK;
}

interface Target {
  readonly files: string[];
  readonly manifestSettings?: ValidationSettingsInput;
}

/** A file validates with the limits of the dataset it sits in; a folder is a dataset. */
async function resolveTarget(input: string): Promise<Target> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(input);
  } catch (error) {
    throw new UsageError(`cannot read ${input}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (error as Error).message}`);
  }
  if (stat.isDirectory()) {
    const files = datasetRecordFiles(input);
    if (files.length === 0) throw new UsageError(`${input} has no records.jsonl or generated.jsonl`);
    return { files, manifestSettings: await settingsOf(fs.existsSync(path.join(input, MANIFEST_FILE)) ? input : undefined) };
  }
  return { files: [input], manifestSettings: await settingsOf(findDatasetDir(path.dirname(input))) };
}

async function settingsOf(datasetDir: string | undefined): Promise<ValidationSettingsInput | undefined> {
  if (datasetDir === undefined) return undefined;
  return (await readManifest(datasetDir)).settings?.validation;
}

/** The `--json` shape: a contract for scripts and CI (see README). */
function toJson(report: ValidationReport) {
  const { counts, tokens } = report;
  return {
    files: report.files,
    total: counts.total,
    valid: counts.valid,
    invalid: counts.invalid,
    warnings: counts.warnings,
    duplicates: counts.duplicates,
    byCode: counts.byCode,
    issues: report.issues.map((issue) => ({
      file: issue.file,
      line: issue.line,
      column: issue.column,
      code: issue.code,
      severity: issue.severity,
      message: issue.message,
    })),
    tokens: { max: tokens.max, p50: tokens.p50, p90: tokens.p90, exact: tokens.exact },
  };
}

function formatHuman(title: string, report: ValidationReport): string {
  const lines = report.issues.map((issue) => `${issue.file}:${issue.line}:${issue.column}  ${issue.severity.padEnd(7)}  ${issue.code}  ${issue.message}`);
  const more = report.issuesTruncated ? `… more issues not shown (raise --max-issues); the counts above are complete.\n` : '';
  return `${formatHealthBox(`Health · ${title}`, report)}${lines.length > 0 ? `\n${lines.join('\n')}\n` : ''}${more}`;
}
