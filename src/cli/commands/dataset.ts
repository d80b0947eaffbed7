import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { exportRecords } from '../../core/dataset/exportRecords';
import { importRecords } from '../../core/dataset/importRecords';
import { initDataset } from '../../core/dataset/initDataset';
import { MANIFEST_FILE } from '../../core/dataset/manifest';
import { removeDatasetTemporaries } from '../../core/dataset/staleTemporaries';
import { datasetSummary, summaryFactsOf, summaryLines } from '../../core/pipeline/datasetSummary';
import { pipelineState, type PipelineState, type StepStatus } from '../../core/pipeline/pipelineState';
import { readDataset } from '../../core/pipeline/snapshot';
import type { Output } from '../output';
import { EXIT_INVALID, EXIT_OK, UsageError } from '../usage';

export function requireDataset(dir: string | undefined, command: string): string {
  if (!dir) throw new UsageError(`${command} needs a dataset folder`);
  if (!fs.existsSync(path.join(dir, MANIFEST_FILE))) throw new UsageError(`${dir} is not a dataset (no ${MANIFEST_FILE}); create one with rft init`);
  removeDatasetTemporaries(dir);
  return dir;
}

export async function initCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { name: { type: 'string' }, objective: { type: 'string' } } });
  if (positionals.length !== 1) throw new UsageError('init needs exactly one <dir>');
  if (!values.name) throw new UsageError('init needs --name <name>');
  await initDataset(positionals[0], { name: values.name, objective: values.objective }).catch((error: Error) => {
    throw new UsageError(error.message);
  });
  output.out(`Created dataset "${values.name}" in ${positionals[0]} (rft.json, records.jsonl). Next: rft import <file.jsonl> --into ${positionals[0]}\n`);
  return EXIT_OK;
}

export async function importCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { into: { type: 'string' }, replace: { type: 'boolean', default: false } } });
  if (positionals.length !== 1) throw new UsageError('import needs exactly one <file.jsonl>');
  const dir = requireDataset(values.into, 'import --into');
  if (!fs.existsSync(positionals[0])) throw new UsageError(`cannot read ${positionals[0]}: no such file`);
  const result = await importRecords(positionals[0], dir, { replace: values.replace });
  output.out(
    `${values.replace ? 'Replaced the records with' : 'Appended'} ${result.linesImported.toLocaleString('en-US')} lines from ${positionals[0]}${result.backup ? ` (previous records kept in ${result.backup})` : ''}.\n`,
  );
  const state = pipelineState((await readDataset(dir)).snapshot);
  output.out(`Health: ${state.health.description}\n`);
  return state.health.counts && state.health.counts.invalid > 0 ? EXIT_INVALID : EXIT_OK;
}

export async function exportCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' } } });
  if (positionals.length !== 1) throw new UsageError('export needs exactly one <dataset folder>');
  const dir = requireDataset(positionals[0], 'export');
  if (!values.out) throw new UsageError('export needs --out <file>');
  const result = await exportRecords(dir, values.out);
  output.out(
    `Exported ${result.exported.toLocaleString('en-US')} valid records to ${values.out} (${result.labeled.toLocaleString('en-US')} with topic labels); left out ${result.skippedInvalid.toLocaleString('en-US')} invalid and ${result.skippedDuplicates.toLocaleString('en-US')} duplicates.\n`,
  );
  return EXIT_OK;
}

export async function statusCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
  if (positionals.length !== 1) throw new UsageError('status needs exactly one <dataset folder>');
  const dir = requireDataset(positionals[0], 'status');
  const reading = await readDataset(dir);
  if (reading.snapshot.healthError) throw new UsageError(reading.snapshot.healthError);
  const state = pipelineState(reading.snapshot);
  const facts = summaryFactsOf(reading);
  const summary = facts && datasetSummary(facts);
  if (values.json) output.out(`${JSON.stringify({ ...statusJson(state), ...(summary ? { summary } : {}) })}\n`);
  else
    output.out(
      `${formatStatus(state, reading.manifest?.objective)}${
        summary
          ? `\nDataset summary\n${summaryLines(summary)
              .map((line) => `  ${line}`)
              .join('\n')}\n`
          : ''
      }`,
    );
  return (state.health.counts?.invalid ?? 0) > 0 ? EXIT_INVALID : EXIT_OK;
}

/** The `--json` shape (a contract, see README). */
function statusJson(state: PipelineState) {
  const counts = state.health.counts;
  return {
    name: state.name,
    health: { total: counts?.total ?? 0, valid: counts?.valid ?? 0, invalid: counts?.invalid ?? 0, warnings: counts?.warnings ?? 0 },
    steps: state.steps.map((step) => ({ id: step.id, status: step.status, description: step.description })),
  };
}

const MARK: Record<StepStatus, string> = { waiting: '○', ready: '◌', running: '◔', complete: '✓', attention: '⚠', failed: '✗' };

function formatStatus(state: PipelineState, objective: string | undefined): string {
  const lines = [`${state.name}${objective ? ` — ${objective}` : ''}`, `Health   ${state.health.description}`];
  const width = Math.max(...state.steps.map((step) => step.title.length));
  for (const step of state.steps) lines.push(`${step.title.padEnd(width)}  ${MARK[step.status]} ${step.status.padEnd(9)}  ${step.description}`);
  return `${lines.join('\n')}\n`;
}
