// src/core/dryrun as the VS Code layer uses it (one place to import it from, so the commands can be tested with
// another), plus the estimate shown before a run starts: the same sample and token rule as the runner's own
// estimate (its `plan` event), computed before anything is asked of the model.
import { readLabels } from '../../core/dataset/labels';
import { forEachValidRecord } from '../../core/dataset/validRecords';
import { compareRuns, estimateCost, formatEstimate, listRuns, readRun, runDryRun, stratifiedSample, UNCATEGORIZED } from '../../core/dryrun';
import { ASSUMED_COMPLETION_TOKENS } from '../../core/dryrun/cost';
import { referenceSample } from '../../core/grader/pairs';
import type { DryRunCore } from './dryRunCommands';

/** The runner's default seed: the estimate samples the prompts the run will ask. */
const SEED = 1;

export const dryRunCore: DryRunCore = {
  runDryRun,
  readRun,
  listRuns,
  compareRuns,
  async estimate(dir, { n, samplesPerPrompt, model }) {
    const { labels } = await readLabels(dir);
    const candidates: { key: string; topic: string }[] = [];
    await forEachValidRecord(dir, (record) => {
      candidates.push({ key: record.key, topic: labels.get(record.key)?.topic ?? UNCATEGORIZED });
    });
    const chosen = new Set(stratifiedSample(candidates, n, SEED).map((candidate) => candidate.key));
    let promptTokens = 0;
    let completionTokens = 0;
    await forEachValidRecord(dir, (record) => {
      if (!chosen.has(record.key)) return;
      const reference = referenceSample(record.record);
      promptTokens += approximateTokens(record.record) * samplesPerPrompt;
      completionTokens += (reference ? Math.ceil(reference.output_text.length / 4) + 8 : ASSUMED_COMPLETION_TOKENS) * samplesPerPrompt;
    });
    const samples = chosen.size * samplesPerPrompt;
    const estimate = estimateCost(model, promptTokens, completionTokens, false);
    return { samples, estimate, text: formatEstimate(estimate, samples) };
  },
};

/** The runner's estimate of a prompt's tokens: ≈ 4 characters per token over the messages and tools, plus the chat overhead. */
function approximateTokens(record: Record<string, unknown>): number {
  const messages = Array.isArray(record.messages) ? record.messages : [];
  return Math.ceil((JSON.stringify(messages).length + (record.tools ? JSON.stringify(record.tools).length : 0)) / 4) + 4 * messages.length + 3;
}
