import { parseArgs } from 'node:util';
import type { ModelClient } from '../../core/llm/modelClient';
import { providerFromEnv } from '../../core/llm/providerConfig';
import { categorizeDataset, type CategorizeResult, type LlmPassSummary } from '../../core/topics/categorize';
import type { LabelPassTally } from '../../core/topics/llmLabels';
import { templateNames } from '../../core/topics/templates';
import { datasetCoverage, exportTopics, generateTopics, importTopics } from '../../core/topics/topicsPipeline';
import type { CoverageReport, TopicCoverage } from '../../core/topics/coverageTypes';
import { MODEL_CLIENT_FLAGS, modelClientFromFlags, type ModelClientFlagValues } from '../modelClientFlags';
import type { Output } from '../output';
import { EXIT_INVALID, EXIT_OK, parseCount, parsePositiveInt, UsageError } from '../usage';
import { requireDataset } from './dataset';

const DEFAULT_CHAT_MODEL = 'gpt-4.1-mini';

/** `rft topics <dir>`: writes topics.json (from the data or a template) and categorizes every valid record. */
export async function topicsCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      leaves: { type: 'string' },
      top: { type: 'string' },
      embedder: { type: 'string', default: 'local' },
      labels: { type: 'string', default: 'keywords' },
      template: { type: 'string' },
      seed: { type: 'string' },
      import: { type: 'string' },
      'keep-assignments': { type: 'boolean', default: false },
      export: { type: 'string' },
      'base-url': { type: 'string' },
      model: { type: 'string' },
      'embedding-model': { type: 'string' },
      json: { type: 'boolean', default: false },
      ...MODEL_CLIENT_FLAGS,
    },
  });
  if (positionals.length !== 1)
    throw new UsageError(
      `topics needs exactly one <dataset folder> (templates: ${templateNames()
        .map((t) => t.name)
        .join(', ')})`,
    );
  const dir = requireDataset(positionals[0], 'topics');
  if (values.export) {
    await exportTopics(dir, values.export);
    output.out(values.json ? `${JSON.stringify({ exported: values.export })}\n` : `Topics written to ${values.export}\n`);
    return EXIT_OK;
  }
  if (values.import) {
    await importTopics(dir, values.import, { keepAssignments: values['keep-assignments'] ?? false });
    return finishCategorize(dir, await categorizeDataset(dir), values.json ?? false, output);
  }
  if (values.embedder !== 'local' && values.embedder !== 'openai') throw new UsageError('--embedder must be local or openai');
  if (values.labels !== 'keywords' && values.labels !== 'llm') throw new UsageError('--labels must be keywords or llm');
  const needsClient = values.embedder === 'openai' || values.labels === 'llm';
  const client = needsClient ? clientFromEnv(values, output) : undefined;
  const result = await generateTopics(dir, {
    leaves: parseCount('--leaves', values.leaves),
    top: parseCount('--top', values.top),
    seed: parsePositiveInt('--seed', values.seed),
    embedder: values.embedder,
    labels: values.labels,
    template: values.template,
    client,
    chatModel: values.model ?? DEFAULT_CHAT_MODEL,
    embeddingModel: values['embedding-model'],
    onProgress: values.json ? undefined : (message) => output.err(`${message}…\n`),
  });
  const leaves = result.topics.topics.reduce((sum, topic) => sum + Math.max(1, topic.children?.length ?? 0), 0);
  if (values.json) {
    const labelPass = result.labelPass && {
      labelsAsked: result.labelPass.asked,
      labelsFailed: result.labelPass.failed,
      ...(result.labelPass.firstError !== undefined ? { labelsError: result.labelPass.firstError } : {}),
    };
    output.out(`${JSON.stringify({ topics: result.topics.topics.length, leaves, ...categorizeJson(result.categorized), ...labelPass, seconds: Math.round(result.seconds * 10) / 10 })}\n`);
  } else {
    output.out(`${result.topics.topics.length} topics, ${leaves} leaves → topics.json (${result.topics.source}${result.topics.template ? `: ${result.topics.template}` : ''})\n`);
    for (const topic of result.topics.topics) output.out(`  ${topic.name}${topic.children?.length ? `: ${topic.children.map((c) => c.name).join(', ')}` : ''}\n`);
    output.out(categorizeLine(result.categorized));
  }
  return result.labelPass ? reportLabelPass(result.labelPass, values.model ?? DEFAULT_CHAT_MODEL, output) : EXIT_OK;
}

/**
 * `--labels llm` with failed calls: those topics keep their keyword names (topics.json is written and the records
 * categorized either way), and it is said; exit 1 when no name came at all, since what was asked for did not happen.
 */
function reportLabelPass(tally: LabelPassTally, model: string, output: Output): number {
  if (tally.failed === 0) return EXIT_OK;
  if (tally.failed === tally.asked) {
    output.err(`rft topics: --labels llm named no topic: all ${fmt(tally.asked)} calls to ${model} failed (first: ${tally.firstError}); topics.json has the keyword names instead\n`);
    return EXIT_INVALID;
  }
  output.err(`warning: ${fmt(tally.failed)} of ${fmt(tally.asked)} topic-naming calls to ${model} failed (first: ${tally.firstError}); those topics keep their keyword names\n`);
  return EXIT_OK;
}

/** `rft categorize <dir>`: places the records that have no label yet (new or edited ones). */
export async function categorizeCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, llm: { type: 'boolean', default: false }, model: { type: 'string' }, 'base-url': { type: 'string' }, ...MODEL_CLIENT_FLAGS },
  });
  if (positionals.length !== 1) throw new UsageError('categorize needs exactly one <dataset folder>');
  const dir = requireDataset(positionals[0], 'categorize');
  const client = values.llm ? clientFromEnv(values, output) : undefined;
  const model = values.model ?? DEFAULT_CHAT_MODEL;
  const result = await categorizeDataset(dir, { llm: client ? { client, model } : undefined, client });
  const code = finishCategorize(dir, result, values.json ?? false, output);
  return result.llm ? reportLlmPass(result.llm, model, output) : code;
}

/** Says what failed in the LLM pass (stderr); exit 1 when calls were made and none answered. */
function reportLlmPass(llm: LlmPassSummary, model: string, output: Output): number {
  if (llm.failed === 0) return EXIT_OK;
  if (llm.answered === 0) {
    const stopped = llm.stoppedEarly ? `stopped after ${fmt(llm.failed)} failed calls with none answered` : `all ${fmt(llm.failed)} calls failed`;
    output.err(`rft categorize: the LLM review with ${model} failed (${stopped}): ${llm.firstError}; the records keep their embedding placement\n`);
    return EXIT_INVALID;
  }
  output.err(`warning: ${fmt(llm.failed)} of ${fmt(llm.asked)} LLM calls to ${model} failed (first: ${llm.firstError}); those records keep their embedding placement\n`);
  return EXIT_OK;
}

/** `rft coverage <dir>`: counts, shares, targets, gaps and balance per topic. */
export async function coverageCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
  if (positionals.length !== 1) throw new UsageError('coverage needs exactly one <dataset folder>');
  const dir = requireDataset(positionals[0], 'coverage');
  const report = await datasetCoverage(dir);
  if (!report) throw new UsageError(`${dir} has no topics yet: run rft topics ${dir}`);
  output.out(values.json ? `${JSON.stringify(coverageJson(report))}\n` : formatCoverage(report));
  return EXIT_OK;
}

/** The `--json` shape (a contract, see README): the issue's keys, plus the top level under `parents`. */
export function coverageJson(report: CoverageReport) {
  const row = (topic: TopicCoverage) => ({ path: topic.path, count: topic.count, share: topic.share, target: topic.target, gap: topic.gap });
  return {
    total: report.total,
    categorized: report.categorized,
    lowConfidence: report.lowConfidence,
    balance: report.balance,
    rating: report.rating,
    topics: report.topics.map(row),
    parents: report.tree.map(row),
  };
}

function formatCoverage(report: CoverageReport): string {
  const lines = [`${fmt(report.categorized)} of ${fmt(report.total)} records categorized · ${fmt(report.lowConfidence)} low confidence · balance ${report.balance.toFixed(2)} (${report.rating})`];
  const width = Math.max(...report.tree.flatMap((t) => [t.path.length, ...t.children.map((c) => c.name.length + 2)]));
  const bar = (share: number) => '█'.repeat(Math.round(share * 20)).padEnd(20, '░');
  for (const topic of report.tree) {
    lines.push(`${topic.path.padEnd(width)}  ${bar(topic.share)} ${fmt(topic.count).padStart(7)}  ${pct(topic.share)} / target ${pct(topic.target)}`);
    for (const leaf of topic.children)
      lines.push(
        `  ${leaf.name.padEnd(width - 2)}  ${bar(leaf.share)} ${fmt(leaf.count).padStart(7)}  ${pct(leaf.share)} / target ${pct(leaf.target)}${leaf.gap > 0 ? `  ⚠ generate ~${fmt(leaf.gap)} more` : ''}`,
      );
  }
  return `${lines.join('\n')}\n`;
}

function finishCategorize(dir: string, result: CategorizeResult, json: boolean, output: Output): number {
  output.out(json ? `${JSON.stringify(categorizeJson(result))}\n` : categorizeLine(result));
  if (!json && result.unknownOwnTopics > 0)
    output.out(
      `  ${fmt(result.unknownOwnTopics)} records have a manual topic (their own metadata.topic, or a manual label) that is not a leaf of topics.json; they count as uncategorized — see rft coverage ${dir}\n`,
    );
  return EXIT_OK;
}

function categorizeJson(result: CategorizeResult) {
  const llm = result.llm && { llmAsked: result.llm.asked, llmFailed: result.llm.failed, ...(result.llm.firstError !== undefined ? { llmError: result.llm.firstError } : {}) };
  return {
    total: result.total,
    categorized: result.categorized,
    placed: result.placed,
    lowConfidence: result.lowConfidence,
    manual: result.manual,
    llmReviewed: result.llmReviewed,
    unknownOwnTopics: result.unknownOwnTopics,
    ...llm,
  };
}

function categorizeLine(result: CategorizeResult): string {
  return `Categorized ${fmt(result.categorized)} of ${fmt(result.total)} records (${fmt(result.placed)} placed now, ${fmt(result.manual)} manual${result.llmReviewed ? `, ${fmt(result.llmReviewed)} reviewed by the LLM` : ''}) · ${fmt(result.lowConfidence)} below confidence 0.7\n`;
}

function clientFromEnv(values: ModelClientFlagValues & { 'base-url'?: string }, output: Output): ModelClient {
  const provider = providerFromEnv(process.env, { baseURL: values['base-url'] });
  if (!provider) throw new UsageError('this needs a model provider: set OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server), or use --embedder local --labels keywords');
  return modelClientFromFlags(provider, values, output, { concurrency: 8 });
}

const fmt = (n: number) => n.toLocaleString('en-US');
const pct = (share: number) => `${(share * 100).toFixed(1)}%`.padStart(6);
