import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { extractTraces, type CallSource } from '../../core/extract/extract';
import { adapterForFile, fileCalls } from '../../core/extract/fileSource';
import type { TraceFilters } from '../../core/extract/filters';
import { langfuseApiCalls, langfuseFromEnv } from '../../core/extract/langfuseApi';
import { openaiStoredCalls } from '../../core/extract/openaiStored';
import { TRACE_SOURCE_KINDS, type TraceSourceKind } from '../../core/extract/traceCall';
import { ModelClient, type ModelClientOptions } from '../../core/llm/modelClient';
import { providerFromEnv } from '../../core/llm/providerConfig';
import { MODEL_CLIENT_FLAGS, modelClientOptions } from '../modelClientFlags';
import type { Output } from '../output';
import { EXIT_INVALID, EXIT_OK, parsePositiveInt, UsageError } from '../usage';

export async function extractCommand(argv: string[], output: Output): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      from: { type: 'string', default: 'auto' },
      file: { type: 'string' },
      'base-url': { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      model: { type: 'string', multiple: true },
      tag: { type: 'string', multiple: true },
      contains: { type: 'string' },
      limit: { type: 'string' },
      sample: { type: 'string' },
      seed: { type: 'string' },
      'include-failed': { type: 'boolean', default: false },
      into: { type: 'string' },
      name: { type: 'string' },
      objective: { type: 'string' },
      json: { type: 'boolean', default: false },
      ...MODEL_CLIENT_FLAGS,
    },
  });
  const from = values.from as string;
  if (from !== 'auto' && !(TRACE_SOURCE_KINDS as readonly string[]).includes(from)) throw new UsageError(`--from must be one of ${[...TRACE_SOURCE_KINDS, 'auto'].join(', ')}`);
  if (!values.into) throw new UsageError('extract needs --into <dataset folder>');
  const filters: TraceFilters = {
    since: isoTime('--since', values.since),
    until: isoTime('--until', values.until),
    models: values.model,
    tags: values.tag ? Object.fromEntries(values.tag.map(keyValue)) : undefined,
    contains: values.contains,
    limit: parsePositiveInt('--limit', values.limit),
    sample: parsePositiveInt('--sample', values.sample),
    seed: parsePositiveInt('--seed', values.seed),
    ...(values['include-failed'] ? { includeFailed: true } : {}),
  };
  const source = await sourceOf(
    from as TraceSourceKind | 'auto',
    values.file,
    values['base-url'],
    filters,
    (notice) => output.err(`rft extract: ${notice}\n`),
    modelClientOptions(values, output, { concurrency: 8 }),
  );
  const report = await extractTraces({ ...source, filters, datasetDir: values.into, name: values.name, objective: values.objective });
  if (values.json) {
    output.out(`${JSON.stringify({ read: report.read, converted: report.converted, skipped: report.skipped, duplicates: report.duplicates, written: report.written })}\n`);
  } else {
    output.out(
      `Extracted from ${source.kind}: read ${report.read.toLocaleString('en-US')} · converted ${report.converted.toLocaleString('en-US')} · duplicates ${report.duplicates.toLocaleString('en-US')} · written ${report.written.toLocaleString('en-US')} → ${values.into}\n`,
    );
    for (const [reason, count] of Object.entries(report.skipped)) output.out(`  skipped ${count.toLocaleString('en-US')}: ${reason} (e.g. ${report.skippedAt[reason].join(', ')})\n`);
  }
  if (!values.json && report.invalid > 0) output.out(`  ${report.invalid.toLocaleString('en-US')} written records have validation errors (kept for review): rft validate ${values.into}\n`);
  return report.invalid > 0 ? EXIT_INVALID : EXIT_OK;
}

async function sourceOf(
  from: TraceSourceKind | 'auto',
  file: string | undefined,
  baseUrl: string | undefined,
  filters: TraceFilters,
  onNotice: (notice: string) => void,
  clientOptions: ModelClientOptions,
): Promise<{ kind: TraceSourceKind; calls: CallSource; origin: { file?: string; baseUrl?: string } }> {
  if (from === 'openai' && !file) {
    const provider = providerFromEnv(process.env, { baseURL: baseUrl });
    if (!provider) throw new UsageError('--from openai needs OPENAI_API_KEY (or AZURE_OPENAI_API_KEY and AZURE_OPENAI_ENDPOINT) in the environment');
    const client = new ModelClient(provider, clientOptions);
    return { kind: 'openai', calls: openaiStoredCalls(client, filters), origin: { baseUrl: baseUrl ?? process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1' } };
  }
  if (from === 'langfuse' && !file) {
    const connection = langfuseFromEnv(process.env, baseUrl);
    if (!connection)
      throw new UsageError(
        '--from langfuse without --file reads its public API: set LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY, and the host in LANGFUSE_BASE_URL (or LANGFUSE_HOST, or --base-url; default https://cloud.langfuse.com)',
      );
    return { kind: 'langfuse', calls: langfuseApiCalls(connection, filters, { onNotice }), origin: { baseUrl: connection.baseUrl } };
  }
  if (!file) throw new UsageError(`--from ${from} reads a file: give --file <path>`);
  if (!fs.existsSync(file)) throw new UsageError(`cannot read ${file}: no such file`);
  if (fs.statSync(file).isDirectory()) throw new UsageError(`${file}: is a folder, not a file`);
  const adapter = await adapterForFile(file, from).catch((error: Error) => {
    throw new UsageError(error.message.split('\n').join(' | '));
  });
  return { kind: adapter.kind, calls: fileCalls(file, adapter), origin: { file } };
}

function isoTime(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new UsageError(`${flag} needs an ISO time such as 2026-10-01T00:00:00Z, got "${value}"`);
  return new Date(time).toISOString();
}

function keyValue(text: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0) throw new UsageError(`--tag needs key=value, got "${text}"`);
  return [text.slice(0, at), text.slice(at + 1)];
}
