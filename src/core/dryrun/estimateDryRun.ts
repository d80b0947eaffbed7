import type { CostEstimate } from './dryRunTypes';
import { choosePrompts } from './choosePrompts';
import { estimateAnswers, formatEstimate } from './cost';

export interface DryRunEstimate {
  readonly samples: number;
  readonly estimate: CostEstimate;
  /** "Estimate: 600 answers from gpt-4o-mini, ~…" */
  readonly text: string;
}

/** What a dry run with these settings would cost, before anything is asked: the same prompts the run picks. */
export async function estimateDryRun(dir: string, options: { n: number; samplesPerPrompt: number; model: string; seed?: number; batch?: boolean; signal?: AbortSignal }): Promise<DryRunEstimate> {
  const { chosen, records } = await choosePrompts(dir, { n: options.n, seed: options.seed ?? 1, signal: options.signal });
  const asked = chosen.flatMap((candidate) => Array.from({ length: options.samplesPerPrompt }, () => records.get(candidate.key)!));
  const estimate = estimateAnswers(asked, options.model, options.batch ?? false);
  return { samples: asked.length, estimate, text: formatEstimate(estimate, asked.length) };
}
