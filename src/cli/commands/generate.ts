// `rft generate <dataset>`: step 3 on the command line (issue 12 §8) — fills topic gaps with verified records.
import { parseArgs } from 'node:util';
import {
  estimateGeneration,
  formatGenerationEstimate,
  gapTargets,
  generateRecords,
  GenerateError,
  planProgress,
  STRATEGIES,
  type GenerateResult,
  type GenerateTarget,
  type Strategy,
} from '../../core/generate';
import { DEFAULT_CHAT_MODEL } from '../../core/llm/defaultModel';
import { providerFromEnv } from '../../core/llm/providerConfig';
import { NoTopicsError } from '../../core/topics/categorize';
import { MODEL_CLIENT_FLAGS, modelClientFromFlags } from '../modelClientFlags';
import type { Output } from '../output';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, parseCount, parsePositiveInt, UsageError } from '../usage';
import { requireDataset } from './dataset';

export async function generateCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'fill-gaps': { type: 'boolean', default: false },
      topic: { type: 'string' },
      count: { type: 'string' },
      strategy: { type: 'string' },
      model: { type: 'string' },
      seed: { type: 'string' },
      'keep-off-target': { type: 'boolean', default: false },
      'max-requests': { type: 'string' },
      'base-url': { type: 'string' },
      json: { type: 'boolean', default: false },
      ...MODEL_CLIENT_FLAGS,
    },
  });
  if (positionals.length !== 1) throw new UsageError('generate needs exactly one <dataset folder>');
  const fillGaps = values['fill-gaps'] ?? false;
  if (fillGaps === (values.topic !== undefined)) throw new UsageError('generate needs either --fill-gaps or --topic <parent/leaf> --count N');
  if (values.topic !== undefined && values.count === undefined) throw new UsageError('--topic needs --count N (records to land)');
  if (fillGaps && values.count !== undefined) throw new UsageError('--count goes with --topic; --fill-gaps takes the counts from the coverage gaps');
  const strategy = (values.strategy ?? 'few-shot') as Strategy;
  if (!STRATEGIES.includes(strategy)) throw new UsageError(`--strategy must be one of ${STRATEGIES.join(', ')}`);
  const count = parseCount('--count', values.count);
  const maxRequests = parseCount('--max-requests', values['max-requests']);
  const seed = parsePositiveInt('--seed', values.seed);
  const dir = requireDataset(positionals[0], 'generate');
  const model = values.model ?? process.env.RFT_MODEL ?? DEFAULT_CHAT_MODEL;
  const provider = providerFromEnv(process.env, { baseURL: values['base-url'] });
  if (!provider) throw new UsageError('generate needs a model provider: set OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server), or AZURE_OPENAI_API_KEY + AZURE_OPENAI_ENDPOINT');
  const note = (text: string) => (values.json ? output.err(text) : output.out(text));
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    let targets: GenerateTarget[];
    const asked = fillGaps ? [] : [{ topic: values.topic!, count: count! }];
    if (fillGaps) {
      targets = await gapTargets(dir);
      if (targets.length === 0) {
        output.out(values.json ? `${JSON.stringify(emptyResult())}\n` : 'No gaps: every topic is at its target share; nothing to generate.\n');
        return EXIT_OK;
      }
    } else {
      const progress = await planProgress(dir, asked, { strategy, model });
      if (progress.continued)
        note(
          `Continuing the earlier run toward the same target: ${progress.writtenBefore} of ${count} already written, asking for the remaining ${progress.remaining.reduce((sum, t) => sum + t.count, 0)}\n`,
        );
      targets = progress.remaining;
    }
    note(`${formatGenerationEstimate(await estimateGeneration(dir, targets, { model, strategy, seed }), model)}\n`);
    const concurrency = parsePositiveInt('RFT_CONCURRENCY', process.env.RFT_CONCURRENCY) || 4;
    const client = modelClientFromFlags(provider, values, output, { concurrency });
    // a --topic run passes the whole request: the loop itself asks only for what is left of an unfinished one
    const result = await generateRecords(dir, fillGaps ? targets : asked, {
      client,
      model,
      strategy,
      seed,
      keepOffTarget: values['keep-off-target'],
      maxRequests,
      concurrency,
      continuePlan: !fillGaps,
      signal: controller.signal,
      onProgress: (event) => {
        if (event.kind === 'candidate' && event.preview.outcome === 'written') {
          const topic = event.byTopic.find((t) => t.topic === event.preview.topic)!;
          output.err(`${topic.topic}: ${topic.written}/${topic.requested} written (${pct(topic.landedShare)} landed, ${topic.nearDuplicates} near-duplicates)\n`);
        } else if (event.kind === 'requestFailed') output.err(`${event.topic}: request failed (${event.message.split('\n')[0]})\n`);
      },
    });
    output.out(values.json ? `${JSON.stringify(result)}\n` : formatResult(result));
    return result.stopped === 'target' ? EXIT_OK : EXIT_INVALID;
  } catch (error) {
    if (error instanceof NoTopicsError || error instanceof GenerateError) {
      output.err(`rft generate: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function emptyResult(): GenerateResult {
  return {
    requested: 0,
    written: 0,
    invalid: 0,
    duplicates: 0,
    nearDuplicates: 0,
    offTarget: 0,
    requests: 0,
    tokens: 0,
    byTopic: [],
    stopped: 'target',
    reason: 'no gaps: every topic is at its target share',
    invalidByCode: {},
    failedRequests: 0,
    costUsd: null,
  };
}

const pct = (share: number) => `${Math.round(share * 100)} %`;

function formatResult(result: GenerateResult): string {
  const width = Math.max(5, ...result.byTopic.map((topic) => topic.topic.length));
  const lines = [
    `${result.stopped === 'target' ? '✓' : '■'} ${result.written} of ${result.requested} records written to generated.jsonl · ${result.requests} requests · ${result.tokens.toLocaleString('en-US')} tokens${result.costUsd === null ? '' : ` · $${result.costUsd.toFixed(4)}`}`,
    `  ${result.reason}`,
    `  ${'topic'.padEnd(width)}  target  written  landed  valid  dup  near  off`,
  ];
  for (const t of result.byTopic)
    lines.push(
      `  ${t.topic.padEnd(width)}  ${String(t.requested).padStart(6)}  ${String(t.written).padStart(7)}  ${pct(t.landedShare).padStart(6)}  ${pct(t.validShare).padStart(5)}  ${String(t.duplicates).padStart(3)}  ${String(t.nearDuplicates).padStart(4)}  ${String(t.offTarget).padStart(3)}`,
    );
  const codes = Object.entries(result.invalidByCode);
  if (codes.length > 0) lines.push(`  invalid: ${codes.map(([code, n]) => `${code} ${n}`).join(', ')}`);
  if (result.failedRequests > 0) lines.push(`  ${result.failedRequests} requests failed (retried, not written)`);
  return `${lines.join('\n')}\n`;
}
