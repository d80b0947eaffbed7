import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RECORDS_FILE } from '../../core/dataset/manifest';
import { extractTraces, type CallSource, type ExtractReport } from '../../core/extract/extract';
import { adapterForFile, fileCalls } from '../../core/extract/fileSource';
import { FAILED_CALL, type TraceFilters } from '../../core/extract/filters';
import { langfuseBaseUrl, langfuseReader, type LangfuseConnection } from '../../core/extract/langfuseApi';
import { openaiStoredCalls } from '../../core/extract/openaiStored';
import { previewExtraction, scanCalls, type TraceScan } from '../../core/extract/scan';
import type { TraceSourceKind } from '../../core/extract/traceCall';
import { contentText, isPlainObject } from '../../core/validation/recordShape';
import type { Ctx } from '../ctx';
import { modelClient } from '../llm/modelClient';
import { askNewDataset, pickFile, withProgress } from '../ui';

interface ChosenSource {
  readonly kind: TraceSourceKind;
  readonly calls: (filters: TraceFilters) => CallSource;
  readonly origin: { file?: string; baseUrl?: string };
  readonly label: string;
}

const STEPS = 7;
const step = (n: number) => `New Dataset from Gateway Traces (${n}/${STEPS})`;
const DAY = 24 * 3600 * 1000;

/**
 * "New Dataset from Gateway Traces": source → file or connection → time range → models (with counts) →
 * filters → preview → name, objective and folder; then extraction with progress and cancel. Health runs by
 * itself once the records land.
 */
export async function newDatasetFromTraces(ctx: Ctx): Promise<void> {
  const { registry } = ctx;
  const source = await chooseSource(ctx);
  if (!source) return;
  const scan = await withProgress(`Reading ${source.label}`, (signal) => scanCalls(source.calls({}), signal));
  if (scan.calls === 0) {
    void vscode.window.showWarningMessage(`No LLM calls found in ${source.label}${scan.unreadable > 0 ? ` (${scan.unreadable} items could not be read)` : ''}.`);
    return;
  }
  const range = await chooseTimeRange(scan);
  if (!range) return;
  const models = await chooseModels(scan);
  if (!models) return;
  const more = await chooseFilters();
  if (!more) return;
  let filters: TraceFilters = { ...range, models, ...more };
  for (;;) {
    const current = filters;
    const preview = await withProgress('Previewing the extraction', (signal) => previewExtraction(source.calls(current), current, 5, signal));
    const choice = await confirmPreview(preview);
    if (choice === 'includeFailed') filters = { ...filters, includeFailed: true };
    else if (choice === 'extract') break;
    else return;
  }
  const asked = await askNewDataset((n) => step(n + 5), path.basename(source.origin.file ?? 'traces').replace(/\.(jsonl?|json)$/i, ''));
  if (!asked) return;
  if (fs.existsSync(path.join(asked.dir, 'rft.json'))) throw new Error(`${asked.dir} is already a dataset`);
  const report = await withProgress(`Extracting into ${asked.name}`, (signal, progress) =>
    extractTraces({
      kind: source.kind,
      calls: source.calls(filters),
      origin: source.origin,
      filters,
      datasetDir: asked.dir,
      name: asked.name,
      objective: asked.objective,
      signal,
      onProgress: (r) => progress(`${r.read.toLocaleString('en-US')} read · ${r.converted.toLocaleString('en-US')} converted`),
    }),
  );
  await registry.refreshAll();
  await vscode.window.showTextDocument(vscode.Uri.file(path.join(asked.dir, RECORDS_FILE)));
  void vscode.window.showInformationMessage(summary(report));
}

/** "Pull New Traces": the dataset's recorded source and filters again; only what is new is appended. */
export async function pullNewTraces(ctx: Ctx, dir: string): Promise<void> {
  const { registry, providers } = ctx;
  const { secrets } = ctx.extension;
  const manifest = registry.get(dir)?.reading?.manifest;
  const recorded = (manifest?.source ?? {}) as { kind?: string; file?: string; baseUrl?: string; filters?: TraceFilters; cursor?: string };
  const langfuseApi = recorded.kind === 'langfuse' && !recorded.file && recorded.baseUrl;
  if (!recorded.kind || (!recorded.file && recorded.kind !== 'openai' && !langfuseApi)) {
    void vscode.window.showInformationMessage('This dataset was not extracted from traces; use "Import Records" to add a file.');
    return;
  }
  const filters: TraceFilters = { ...(recorded.filters ?? {}) };
  let calls: CallSource;
  if (recorded.kind === 'openai') {
    const provider = await providers.provider();
    if (!provider) return;
    const since = recorded.cursor && (!filters.since || recorded.cursor > filters.since) ? recorded.cursor : filters.since;
    calls = openaiStoredCalls(modelClient(ctx, provider), { ...filters, since });
  } else if (langfuseApi) {
    const read = await langfuseSource(secrets, recorded.baseUrl!);
    if (!read) return;
    calls = read(filters);
  } else {
    const file = recorded.file!;
    if (!fs.existsSync(file)) throw new Error(`the trace file ${file} recorded in rft.json is gone`);
    calls = fileCalls(file, await adapterForFile(file, recorded.kind as TraceSourceKind));
  }
  const report = await withProgress('Pulling new traces', (signal) =>
    extractTraces({ kind: recorded.kind as TraceSourceKind, calls, origin: recorded.file ? { file: recorded.file } : { baseUrl: recorded.baseUrl }, filters, datasetDir: dir, signal }),
  );
  await registry.refresh(dir);
  void vscode.window.showInformationMessage(summary(report));
}

function summary(report: ExtractReport): string {
  const skipped = Object.values(report.skipped).reduce((sum, n) => sum + n, 0);
  return `Extracted ${report.written.toLocaleString('en-US')} new records (${report.read.toLocaleString('en-US')} read, ${skipped.toLocaleString('en-US')} skipped, ${report.duplicates.toLocaleString('en-US')} already in the dataset).`;
}

async function chooseSource(ctx: Ctx): Promise<ChosenSource | undefined> {
  const { providers } = ctx;
  const { secrets } = ctx.extension;
  const kind = await vscode.window.showQuickPick(
    [
      { label: '$(file) Trace or log file', description: 'LiteLLM, Langfuse, OpenTelemetry (OTLP/JSON), Helicone, request logs, OpenAI Batch, chat JSONL — detected', api: undefined },
      { label: '$(cloud) OpenAI stored completions', description: 'chat completions stored with store: true, through the API', api: 'openai' as const },
      { label: '$(cloud) Langfuse', description: 'generations through its public API (Cloud, or self-hosted)', api: 'langfuse' as const },
    ],
    { title: step(1), placeHolder: 'Where are the traces?' },
  );
  if (!kind) return undefined;
  if (kind.api === 'langfuse') {
    const baseUrl = await vscode.window.showInputBox({
      title: `${step(2)}: Langfuse host`,
      prompt: 'Your Langfuse URL (US Cloud: https://us.cloud.langfuse.com; or your self-hosted one). Filled from LANGFUSE_BASE_URL or LANGFUSE_HOST when set.',
      value: langfuseBaseUrl(process.env),
      ignoreFocusOut: true,
      validateInput: (value) => (/^https?:\/\/[^\s/]+/.test(value.trim()) ? undefined : 'A URL such as https://cloud.langfuse.com'),
    });
    if (!baseUrl) return undefined;
    const normalized = langfuseBaseUrl({}, baseUrl);
    const read = await langfuseSource(secrets, normalized);
    if (!read) return undefined;
    return { kind: 'langfuse', calls: read, origin: { baseUrl: normalized }, label: `Langfuse at ${normalized}` };
  }
  if (kind.api === 'openai') {
    const provider = await providers.provider();
    if (!provider) return undefined;
    const client = modelClient(ctx, provider);
    const baseUrl = provider.kind === 'azure' ? provider.endpoint : (provider.baseURL ?? 'https://api.openai.com/v1');
    return { kind: 'openai', calls: (filters) => openaiStoredCalls(client, filters), origin: { baseUrl }, label: 'OpenAI stored completions' };
  }
  const file = await pickFile(step(2));
  if (!file) return undefined;
  const adapter = await withProgress('Detecting the format', () => adapterForFile(file.fsPath, 'auto'));
  return { kind: adapter.kind, calls: () => fileCalls(file.fsPath, adapter), origin: { file: file.fsPath }, label: `${path.basename(file.fsPath)} (${adapter.kind})` };
}

async function chooseTimeRange(scan: TraceScan): Promise<Pick<TraceFilters, 'since' | 'until'> | undefined> {
  const latest = scan.latest ? Date.parse(scan.latest) : Date.now();
  const span = scan.earliest && scan.latest ? `${scan.earliest.slice(0, 16)} → ${scan.latest.slice(0, 16)}` : 'no times recorded';
  const choice = await vscode.window.showQuickPick(
    [
      { label: 'All calls', description: span, range: {} },
      { label: 'Last 24 hours', description: 'before the newest call', range: { since: new Date(latest - DAY).toISOString() } },
      { label: 'Last 7 days', description: 'before the newest call', range: { since: new Date(latest - 7 * DAY).toISOString() } },
      { label: 'Last 30 days', description: 'before the newest call', range: { since: new Date(latest - 30 * DAY).toISOString() } },
      { label: 'Custom range…', description: 'ISO times', range: undefined },
    ],
    { title: `${step(3)}: time range (${scan.calls.toLocaleString('en-US')} calls)` },
  );
  if (!choice) return undefined;
  if (choice.range) return choice.range;
  const iso = (value: string) => (value.trim() === '' || !Number.isNaN(Date.parse(value)) ? undefined : 'An ISO time, e.g. 2026-10-01T00:00:00Z');
  const since = await vscode.window.showInputBox({ title: `${step(3)}: since (empty: no start)`, value: scan.earliest ?? '', validateInput: iso });
  if (since === undefined) return undefined;
  const until = await vscode.window.showInputBox({ title: `${step(3)}: until (empty: no end)`, value: '', validateInput: iso });
  if (until === undefined) return undefined;
  return { since: since.trim() ? new Date(since).toISOString() : undefined, until: until.trim() ? new Date(until).toISOString() : undefined };
}

async function chooseModels(scan: TraceScan): Promise<string[] | undefined> {
  const items = scan.models.map(([model, count]) => ({ label: model, description: `${count.toLocaleString('en-US')} calls`, picked: true }));
  const chosen = await vscode.window.showQuickPick(items, { title: `${step(4)}: models`, canPickMany: true });
  if (!chosen || chosen.length === 0) return undefined;
  return chosen.length === items.length ? [] : chosen.map((item) => item.label);
}

async function chooseFilters(): Promise<Pick<TraceFilters, 'tags' | 'contains'> | undefined> {
  const tags = await vscode.window.showInputBox({
    title: `${step(5)}: tags (optional)`,
    prompt: 'key=value pairs the calls must carry, comma-separated (e.g. team=billing, env=prod); empty for none',
    validateInput: (value) => (value.trim() === '' || value.split(',').every((pair) => /^\s*[^=\s]+\s*=.*$/.test(pair)) ? undefined : 'Use key=value, comma-separated'),
  });
  if (tags === undefined) return undefined;
  const contains = await vscode.window.showInputBox({ title: `${step(5)}: text (optional)`, prompt: 'Text the prompts must contain; empty for none' });
  if (contains === undefined) return undefined;
  const pairs = tags
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => [pair.slice(0, pair.indexOf('=')).trim(), pair.slice(pair.indexOf('=') + 1).trim()]);
  return { ...(pairs.length > 0 ? { tags: Object.fromEntries(pairs) } : {}), ...(contains.trim() ? { contains: contains.trim() } : {}) };
}

/** Extract, or preview again with the failed calls kept (offered when some were skipped as failed). */
async function confirmPreview(preview: Awaited<ReturnType<typeof previewExtraction>>): Promise<'extract' | 'includeFailed' | undefined> {
  const skipped = Object.entries(preview.skipped)
    .map(([reason, n]) => `${n} ${reason}`)
    .join(' · ');
  const failed = preview.skipped[FAILED_CALL] ?? 0;
  const examples = preview.examples.map((record) => ({
    label: `$(comment) ${lastUserText(record).slice(0, 120)}`,
    description: String((record.metadata as { model?: string }).model ?? ''),
    choice: undefined,
  }));
  const items = [
    { label: `$(check) Extract ${preview.records.toLocaleString('en-US')} records`, description: skipped ? `skipped: ${skipped}` : '', choice: 'extract' as const },
    ...(failed > 0
      ? [
          {
            label: `$(debug-restart) Include the ${failed.toLocaleString('en-US')} failed call${failed === 1 ? '' : 's'}`,
            description: 'the log marks them as errors; usually no answer to learn from',
            choice: 'includeFailed' as const,
          },
        ]
      : []),
    ...examples,
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `${step(5)}: preview — ${preview.records.toLocaleString('en-US')} records, ${preview.duplicates} duplicates` });
  if (picked?.choice === 'extract' && preview.records === 0) return undefined;
  return picked?.choice;
}

function lastUserText(record: { messages: unknown[] }): string {
  const user = [...record.messages].reverse().find((m) => isPlainObject(m) && m.role === 'user') as { content?: unknown } | undefined;
  return contentText(user?.content).replace(/\s+/g, ' ');
}

/** Langfuse keys are kept per host, so a dataset's recorded URL never receives keys saved for another. */
const langfuseSecretId = (baseUrl: string) => `rftStudio.langfuse.keys:${baseUrl}`;

/**
 * A Langfuse reader for `baseUrl` with the keys saved for that host in SecretStorage (asked for and saved when
 * there are none). Keys the server refuses are forgotten, so the next try asks again.
 */
async function langfuseSource(secrets: vscode.SecretStorage, baseUrl: string): Promise<((filters: TraceFilters) => CallSource) | undefined> {
  const id = langfuseSecretId(baseUrl);
  let keys = parseKeys(await secrets.get(id));
  if (!keys) {
    const publicKey = await vscode.window.showInputBox({
      title: `Langfuse public key for ${baseUrl}`,
      prompt: 'Project settings → API keys (pk-lf-…). Kept in VS Code SecretStorage for this host only.',
      value: process.env.LANGFUSE_PUBLIC_KEY ?? '',
      ignoreFocusOut: true,
    });
    if (!publicKey?.trim()) return undefined;
    const secretKey = await vscode.window.showInputBox({
      title: `Langfuse secret key for ${baseUrl}`,
      prompt: 'sk-lf-… Kept in VS Code SecretStorage, never in settings or files.',
      password: true,
      ignoreFocusOut: true,
    });
    if (!secretKey?.trim()) return undefined;
    keys = { publicKey: publicKey.trim(), secretKey: secretKey.trim() };
    await secrets.store(id, JSON.stringify(keys));
  }
  const connection: LangfuseConnection = { baseUrl, ...keys };
  const read = langfuseReader(connection, { onNotice: (notice) => void vscode.window.showInformationMessage(notice) });
  return (filters) => async (sink, signal) => {
    try {
      await read(filters)(sink, signal);
    } catch (error) {
      if (error instanceof Error && /refused the keys/.test(error.message)) await secrets.delete(id);
      throw error;
    }
  };
}

function parseKeys(text: string | undefined): { publicKey: string; secretKey: string } | undefined {
  if (!text) return undefined;
  try {
    const keys = JSON.parse(text) as { publicKey?: unknown; secretKey?: unknown };
    return typeof keys.publicKey === 'string' && typeof keys.secretKey === 'string' ? { publicKey: keys.publicKey, secretKey: keys.secretKey } : undefined;
  } catch {
    return undefined;
  }
}
