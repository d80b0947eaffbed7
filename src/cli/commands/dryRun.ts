// `rft dry-run <dataset>`: step 5 on the command line (issue 11 §7) — GO / CAUTION / NO-GO before training.
import { parseArgs } from 'node:util';
import { GraderFileError } from '../../core/grader/graderFile';
import { providerFromEnv } from '../../core/llm/providerConfig';
import { DryRunError, formatEstimate, runDryRun, type DryRunFile } from '../../core/dryrun';
import { MODEL_CLIENT_FLAGS, modelClientFromFlags } from '../modelClientFlags';
import type { Output } from '../output';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, parseCount, parsePositiveInt, UsageError } from '../usage';
import { requireDataset } from './dataset';

export async function dryRunCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      n: { type: 'string' },
      model: { type: 'string' },
      'samples-per-prompt': { type: 'string' },
      seed: { type: 'string' },
      batch: { type: 'boolean', default: false },
      resume: { type: 'boolean', default: false },
      'base-url': { type: 'string' },
      json: { type: 'boolean', default: false },
      ...MODEL_CLIENT_FLAGS,
    },
  });
  if (positionals.length !== 1) throw new UsageError('dry-run needs exactly one <dataset folder>');
  const n = positive('--n', values.n);
  const k = positive('--samples-per-prompt', values['samples-per-prompt']);
  const seed = parsePositiveInt('--seed', values.seed);
  const dir = requireDataset(positionals[0], 'dry-run');
  const model = values.model ?? process.env.RFT_MODEL;
  if (!values.resume && !model) throw new UsageError('dry-run needs a base model: pass --model <model> (or set RFT_MODEL)');
  const provider = providerFromEnv(process.env, { baseURL: values['base-url'] });
  if (!provider) throw new UsageError('dry-run needs a model provider: set OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server), or AZURE_OPENAI_API_KEY + AZURE_OPENAI_ENDPOINT');
  const concurrency = parsePositiveInt('RFT_CONCURRENCY', process.env.RFT_CONCURRENCY) || 16;
  const client = modelClientFromFlags(provider, values, output, { concurrency });
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const note = (text: string) => (values.json ? output.err(text) : output.out(text));
  try {
    const result = await runDryRun(dir, {
      client,
      model,
      n,
      samplesPerPrompt: k,
      seed,
      batch: values.batch,
      concurrency,
      resume: values.resume,
      signal: controller.signal,
      pollMs: parsePositiveInt('RFT_BATCH_POLL_MS', process.env.RFT_BATCH_POLL_MS) ?? 10_000,
      onProgress: (event) => {
        if (event.type === 'plan')
          note(`${event.done > 0 ? `Resuming ${event.run}: ${event.done} of ${event.samples} answers done\n` : ''}${formatEstimate(event.estimate, event.samples - event.done)}\n`);
        else if (event.type === 'batch') output.err(`batch ${event.batchId}: ${event.status} (${event.completed}/${event.total})\n`);
      },
    });
    const run = result.file;
    if (run.status === 'cancelled') {
      output.err(`rft dry-run: cancelled; ${run.samples.length} answers kept in ${result.path} — rft dry-run ${dir} --resume finishes it\n`);
      return EXIT_USAGE;
    }
    output.out(values.json ? `${JSON.stringify(dryRunJson(run, result.path))}\n` : formatRun(run, result.path));
    return run.decision === 'NO-GO' ? EXIT_INVALID : EXIT_OK;
  } catch (error) {
    if (error instanceof DryRunError || error instanceof GraderFileError) {
      output.err(`rft dry-run: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function positive(flag: string, value: string | undefined): number | undefined {
  return parseCount(flag, value);
}

/** The --json contract of issue 11 §7. */
export function dryRunJson(run: DryRunFile, file: string) {
  const s = run.stats;
  return {
    decision: run.decision,
    n: s.n,
    scored: s.scored,
    errors: s.errors,
    mean: s.mean,
    std: s.std,
    min: s.min,
    max: s.max,
    p10: s.p10,
    p50: s.p50,
    p90: s.p90,
    shareAboveZero: s.shareAboveZero,
    shareOne: s.shareOne,
    histogram: s.histogram,
    zeroVarianceShare: s.zeroVarianceShare,
    byTopic: run.byTopic.map((t) => ({ topic: t.topic, n: t.n, mean: t.mean })),
    reasons: run.reasons,
    diagnosis: run.diagnosis,
    run: file,
  };
}

const BADGE = { GO: '🟢 GO', CAUTION: '🟡 CAUTION', 'NO-GO': '🔴 NO-GO' } as const;
const f = (value: number | null, digits = 3) => (value === null ? '–' : value.toFixed(digits));
const pct = (value: number | null) => (value === null ? '–' : `${Math.round(value * 100)} %`);

function formatRun(run: DryRunFile, file: string): string {
  const s = run.stats;
  const lines = [
    `${run.decision ? BADGE[run.decision] : '?'} · mean ${f(s.mean, 2)} · std ${f(s.std, 2)} · ${s.scored} samples (${s.errors} errors) · ${run.model}`,
    `  min ${f(s.min)}  p10 ${f(s.p10)}  p50 ${f(s.p50)}  p90 ${f(s.p90)}  max ${f(s.max)}  · share > 0 ${pct(s.shareAboveZero)} · share = 1 ${pct(s.shareOne)}${s.zeroVarianceShare === null ? '' : ` · zero-variance prompts ${pct(s.zeroVarianceShare)} (mean within-prompt std ${f(s.meanWithinPromptStd)})`}`,
    `  tokens ${(s.usage.promptTokens + s.usage.completionTokens).toLocaleString('en-US')}${s.usage.costUsd === null ? ' · unknown price' : ` · $${s.usage.costUsd.toFixed(4)}`}`,
    '  histogram',
  ];
  const top = Math.max(1, ...s.histogram);
  s.histogram.forEach((count, bin) => lines.push(`    ${(bin / 10).toFixed(1)}–${((bin + 1) / 10).toFixed(1)} ${'█'.repeat(Math.round((count / top) * 30)).padEnd(30)} ${count}`));
  if (run.byTopic.length > 0) {
    lines.push('  by topic');
    for (const t of run.byTopic) lines.push(`    ${t.topic.padEnd(32)} n ${String(t.n).padStart(4)}  mean ${f(t.mean)}${t.rating === 'ok' ? '' : `  (${t.rating})`}`);
  }
  lines.push('  reasons', ...run.reasons.map((reason) => `    - ${reason}`));
  if (run.diagnosis.length > 0) lines.push('  diagnosis', ...run.diagnosis.map((line) => `    - ${line}`));
  lines.push(`  run: ${file}`);
  return `${lines.join('\n')}\n`;
}
