// Step 7's files as the results and deploy panel shows them (src/shared/deployProtocol). Pure: no `vscode`.
import * as path from 'node:path';
import { describeDeployment, type BenchmarkFile, type BenchmarkSampleComparison, type DeploymentRecord, type TunedModel } from '../../core/deploy';
import type { BenchmarkView, ComparisonView, DeploymentView, TunedModelView } from '../../shared/deployProtocol';

/** Long prompts and answers are cut for the panel (the run file keeps them whole). */
const MAX_TEXT_CHARS = 2_000;

export function tunedView(tuned: TunedModel): TunedModelView {
  const { model, endpoint, baseURL, deployment, apiKeyEnv, baseModel, source, jobId } = tuned;
  return {
    model,
    endpoint,
    source,
    ...(baseURL ? { baseURL } : {}),
    ...(deployment ? { deployment } : {}),
    ...(apiKeyEnv ? { apiKeyEnv } : {}),
    ...(baseModel ? { baseModel } : {}),
    ...(jobId ? { jobId } : {}),
  };
}

export function benchmarkView(file: string, run: BenchmarkFile): BenchmarkView | undefined {
  const { report } = run;
  if (!report) return undefined;
  const source = run.config.source.kind === 'dataset' ? `${run.config.source.n} records sampled from the dataset` : run.config.source.file;
  return {
    id: path.basename(file),
    startedAt: run.startedAt,
    base: run.config.base,
    tuned: run.config.tuned,
    source,
    report: {
      overall: report.overall,
      byTopic: report.byTopic,
      regressions: report.regressions,
      samples: { gains: report.samples.gains.map(comparisonView), losses: report.samples.losses.map(comparisonView) },
      errors: { pairs: report.errors.pairs },
    },
  };
}

function comparisonView(sample: BenchmarkSampleComparison): ComparisonView {
  return {
    ...sample,
    prompt: cut(sample.prompt),
    base: { ...sample.base, response: sample.base.response === null ? null : cut(sample.base.response) },
    tuned: { ...sample.tuned, response: sample.tuned.response === null ? null : cut(sample.tuned.response) },
  };
}

export function deploymentView(deployment: DeploymentRecord): DeploymentView {
  const { time, mode, via, target, modelName, tunedModel } = deployment;
  return { time, mode, via, target, modelName, tunedModel, description: describeDeployment(deployment) };
}

export function cut(text: string, max = MAX_TEXT_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}… (${(text.length - max).toLocaleString('en-US')} more characters)` : text;
}
