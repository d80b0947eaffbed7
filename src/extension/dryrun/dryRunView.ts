// A run file of src/core/dryrun as the results panel shows it (src/shared/dryRunProtocol). Pure: no `vscode`.
import * as path from 'node:path';
import type { DryRunFile, DryRunSample } from '../../core/dryrun/dryRunTypes';
import { DECISIONS, type Decision, type DiagnosisView, type DryRunAction, type ReasonView, type RunSummaryView, type RunView, type SampleView } from '../../shared/dryRunProtocol';

/** Long prompts and answers are cut for the panel (the run file keeps them whole). */
export const MAX_TEXT_CHARS = 4_000;

export function runSummaryView(file: string, run: DryRunFile): RunSummaryView {
  // the view's figures are the run's, less what the panel does not show, with the usage flattened
  const { usage, referenceMean: _referenceMean, referenceCount: _referenceCount, ...figures } = run.stats;
  return {
    id: path.basename(file),
    startedAt: run.startedAt,
    status: run.status,
    model: run.model,
    samplesPerPrompt: run.config.samplesPerPrompt,
    decision: run.decision,
    stats: { ...figures, promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, costUsd: usage.costUsd },
    byTopic: run.byTopic.map((topic) => ({ topic: topic.topic, n: topic.n, mean: topic.mean, rating: topic.rating })),
  };
}

/** The run for the panel; `stale` says why it no longer describes the dataset (runStaleness), when it does not. */
export function runView(file: string, run: DryRunFile, stale?: string): RunView {
  return {
    ...runSummaryView(file, run),
    reasons: run.reasonItems ? run.reasonItems.map((item) => ({ text: item.text, level: item.level })) : run.reasons.map(legacyReasonView),
    diagnosis: run.diagnosisItems ? run.diagnosisItems.map((item) => ({ text: item.text, actions: item.actions ?? [] })) : run.diagnosis.map(legacyDiagnosisView),
    samples: run.samples.map(sampleView),
    ...(run.failure ? { failure: run.failure } : {}),
    ...(stale ? { stale } : {}),
  };
}

/** A run file written before reasons were kept as data: the verdict is the "(GO)" / "(CAUTION; …)" / "(NO-GO)" at the text's end. */
export function legacyReasonView(text: string): ReasonView {
  const level = /\((GO|CAUTION|NO-GO)\b[^)]*\)\s*$/.exec(text)?.[1] as Decision | undefined;
  return level && DECISIONS.includes(level) ? { text, level } : { text };
}

/** A run file written before the diagnosis was kept as data: the actions its text names. */
export function legacyDiagnosisView(text: string): DiagnosisView {
  const actions: DryRunAction[] = [];
  if (/grader|strict|lenient|partial credit|criteria|calibrat/i.test(text)) actions.push('adjustGrader');
  if (/review dataset|too hard|too easy|harder prompts|SFT/i.test(text)) actions.push('reviewDataset');
  if (/re-run|model connection/i.test(text)) actions.push('rerun');
  return { text, actions };
}

export function sampleView(sample: DryRunSample, index: number): SampleView {
  const reasoning = Object.entries(sample.details ?? {})
    .flatMap(([grader, detail]) => [
      ...(detail.steps ?? []).map((step) => `${grader}: ${step.description}${step.conclusion ? ` → ${step.conclusion}` : ''}`),
      ...(detail.label !== undefined ? [`${grader}: label ${detail.label}`] : []),
    ])
    .join('\n');
  return {
    index,
    sampleIndex: sample.sampleIndex,
    key: sample.key,
    file: sample.file,
    line: sample.line,
    topic: sample.topic,
    prompt: cut(sample.prompt),
    response: sample.response === null ? null : cut(sample.response),
    score: sample.score,
    ...(Object.keys(sample.sub_rewards ?? {}).length > 0 ? { subScores: sample.sub_rewards } : {}),
    ...(reasoning ? { reasoning: cut(reasoning) } : {}),
    ...(sample.error ? { error: sample.error } : {}),
  };
}

function cut(text: string): string {
  return text.length > MAX_TEXT_CHARS ? `${text.slice(0, MAX_TEXT_CHARS)}… (${(text.length - MAX_TEXT_CHARS).toLocaleString('en-US')} more characters in the run file)` : text;
}
