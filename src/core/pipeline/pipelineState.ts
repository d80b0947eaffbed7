// The pipeline state of a dataset as one pure function of what is on disk (docs/pipeline.md): never stored, so it
// cannot drift. A step whose capability is not built yet is `waiting` and says what it waits for.
import type { HealthCounts } from '../validation/health';
import { balanceOf, balanceRating } from '../topics/balance';
import type { JobStatus } from '../train/jobFile';

export const STEP_IDS = ['extract', 'topics', 'coverage', 'grader', 'dryrun', 'train', 'deploy'] as const;
export type StepId = (typeof STEP_IDS)[number];
export type StepStatus = 'waiting' | 'ready' | 'running' | 'complete' | 'attention' | 'failed';

export const STEP_TITLES: Record<StepId, string> = {
  extract: '1. Extract Records',
  topics: '2. Topics & Categorization',
  coverage: '3. Review Coverage',
  grader: '4. Define Grader',
  dryrun: '5. Dry Run',
  train: '6. Train Model',
  deploy: '7. Deploy',
};

export interface StepState {
  readonly id: StepId;
  readonly title: string;
  readonly status: StepStatus;
  /** One line, e.g. "1,008 valid · 34 invalid" or "Balance 0.35 · fair". */
  readonly description: string;
  /** What the status means and what to do next (Markdown-safe plain text). */
  readonly detail: string;
}

export interface HealthState {
  readonly status: 'validating' | 'complete' | 'attention' | 'failed';
  readonly counts?: HealthCounts;
  readonly description: string;
}

export interface PipelineState {
  readonly name: string;
  readonly health: HealthState;
  readonly steps: StepState[];
}

/** What the pipeline state is computed from: a reading of the dataset folder. */
export interface DatasetSnapshot {
  readonly name: string;
  readonly sourceKind?: string;
  /** Undefined while validation runs. */
  readonly health?: HealthCounts;
  /** A reason the records could not be validated (unreadable file, bad rft.json). */
  readonly healthError?: string;
  readonly topics?: { readonly leaves: string[] } | { readonly error: string };
  /** Categorized records as coverage counts them (tallyLabels): `total` counts only labels on a leaf of topics.json. */
  readonly labels?: { readonly byLeaf: ReadonlyMap<string, number>; readonly lowConfidence: number; readonly total: number };
  readonly grader?: { readonly description: string; readonly type: string } | { readonly error: string };
  /** The newest finished dry run: decision and figures, and why it is stale (the grader or records changed since). */
  readonly lastDryRun?: { readonly decision: 'GO' | 'CAUTION' | 'NO-GO'; readonly mean?: number; readonly std?: number; readonly samples?: number; readonly stale?: string };
  /** The newest training job: status, base and result model, progress ("45 % · epoch 1/2 · train 0.52 · valid 0.48"), error. */
  readonly lastJob?: { readonly status: JobStatus; readonly model?: string; readonly resultModel?: string; readonly progress?: string; readonly error?: string };
  /** A tuned model exists: recorded in .rft/tuned.json or the result of a succeeded job. */
  readonly tunedModel?: { readonly model: string };
  /** The newest deployment that was not undone ("A/B 90/10 · support-bot"). */
  readonly deployment?: { readonly model: string; readonly description?: string };
  /** The newest finished benchmark: the topics that regressed and the overall means. */
  readonly lastBenchmark?: { readonly regressions: readonly string[]; readonly base: number | null; readonly tuned: number | null; readonly relativeChange: number | null };
}

const fmt = (n: number) => n.toLocaleString('en-US');
const percent = (share: number) => `${Math.round(share * 100)} %`;
const LOW_CONFIDENCE_ATTENTION = 0.05;

export function pipelineState(snapshot: DatasetSnapshot): PipelineState {
  const valid = snapshot.health?.valid ?? 0;
  return {
    name: snapshot.name,
    health: healthState(snapshot),
    steps: [extractStep(snapshot), topicsStep(snapshot, valid), coverageStep(snapshot), graderStep(snapshot), dryRunStep(snapshot), trainStep(snapshot), deployStep(snapshot)],
  };
}

export function healthDescription(counts: HealthCounts): string {
  const parts = [`${fmt(counts.valid)} valid`, `${fmt(counts.invalid)} invalid`];
  if (counts.duplicates > 0) parts.push(`${fmt(counts.duplicates)} duplicates`);
  return parts.join(' · ');
}

function healthState(snapshot: DatasetSnapshot): HealthState {
  if (snapshot.healthError) return { status: 'failed', description: snapshot.healthError };
  const counts = snapshot.health;
  if (!counts) return { status: 'validating', description: 'Validating…' };
  if (counts.total === 0) return { status: 'complete', counts, description: 'No records yet' };
  return { status: counts.invalid > 0 ? 'attention' : 'complete', counts, description: healthDescription(counts) };
}

function step(id: StepId, status: StepStatus, description: string, detail: string): StepState {
  return { id, title: STEP_TITLES[id], status, description, detail };
}

function extractStep(snapshot: DatasetSnapshot): StepState {
  const counts = snapshot.health;
  if (!counts) return step('extract', 'running', 'Reading records…', 'The records are being validated.');
  if (counts.total === 0) return step('extract', 'ready', 'No records yet', 'Import a JSONL file (RFT: Import Records) to start the pipeline.');
  const source = snapshot.sourceKind ? ` · from ${snapshot.sourceKind}` : '';
  return step('extract', 'complete', `${fmt(counts.total)} records${source}`, `${fmt(counts.valid)} valid records go to the next steps; invalid records and duplicates are kept on disk but excluded.`);
}

function topicsStep(snapshot: DatasetSnapshot, valid: number): StepState {
  const topics = snapshot.topics;
  if (!topics)
    return valid === 0
      ? step('topics', 'waiting', 'Waits for valid records', 'Topics are found in the valid records.')
      : step(
          'topics',
          'ready',
          'Generate topics from the records',
          'RFT: Generate Topics finds a 2-level hierarchy in the records (offline) or starts from a template, then categorizes every record.',
        );
  if ('error' in topics) return step('topics', 'failed', 'topics.json is invalid', topics.error);
  const labeled = snapshot.labels?.total ?? 0;
  const share = valid === 0 ? 0 : Math.min(1, labeled / valid);
  const described = `${fmt(topics.leaves.length)} topics · ${percent(share)} categorized`;
  if (labeled === 0) return step('topics', 'ready', described, 'Topics are defined; records are not categorized yet: RFT: Categorize Records.');
  const low = snapshot.labels?.lowConfidence ?? 0;
  if (low / Math.max(labeled, 1) >= LOW_CONFIDENCE_ATTENTION) {
    return step('topics', 'attention', `${described} · ${fmt(low)} low confidence`, `${fmt(low)} records have confidence below 0.7 (5 % or more): review them.`);
  }
  return step('topics', 'complete', described, 'Every categorized record is placed with confidence 0.7 or more, or nearly so.');
}

function coverageStep(snapshot: DatasetSnapshot): StepState {
  const topics = snapshot.topics;
  if (!topics || 'error' in topics || !snapshot.labels || snapshot.labels.total === 0) {
    return step('coverage', 'waiting', 'Waits for categorization', 'Coverage needs records placed in topics (step 2).');
  }
  const balance = balanceOf(snapshot.labels.byLeaf, topics.leaves);
  const rating = balanceRating(balance);
  const description = `Balance ${balance.toFixed(2)} · ${rating}`;
  if (rating === 'good') return step('coverage', 'complete', description, 'Topics are balanced (min share / max share above 0.6).');
  return step('coverage', 'attention', description, rating === 'poor' ? 'Some topics are far too thin: generate records for them.' : 'Some topics are under-represented.');
}

function graderStep(snapshot: DatasetSnapshot): StepState {
  const grader = snapshot.grader;
  if (!grader) {
    return (snapshot.health?.valid ?? 0) === 0
      ? step('grader', 'waiting', 'Waits for valid records', 'The grader scores answers to the valid records.')
      : step(
          'grader',
          'ready',
          'Define the reward: a preset or your own',
          'RFT: Edit Grader opens the grader editor (LLM judge, string and similarity checks, Python or JavaScript scripts, weighted multi graders); RFT: New Grader from Preset starts from Correctness, Format Compliance, Tool Usage or Conciseness.',
        );
  }
  if ('error' in grader) return step('grader', 'failed', 'grader.json is invalid', grader.error);
  return step('grader', 'complete', grader.description, 'grader.json defines the reward. Test Sample scores a few records; Check Grader compares the references with controls.');
}

function dryRunStep(snapshot: DatasetSnapshot): StepState {
  const run = snapshot.lastDryRun;
  if (!run) {
    const grader = snapshot.grader;
    if (grader && !('error' in grader))
      return step(
        'dryrun',
        'ready',
        'Run a dry run before training',
        'RFT: Run Dry Run… (or rft dry-run) samples prompts, gets base-model answers, scores them with the grader and decides GO / CAUTION / NO-GO.',
      );
    return step('dryrun', 'waiting', grader ? 'Waits for a valid grader' : 'Waits for a grader', 'A dry run scores base-model answers with the grader and decides GO / CAUTION / NO-GO.');
  }
  const mean = run.mean === undefined ? '' : ` · mean ${run.mean.toFixed(2)}`;
  const std = run.std === undefined ? '' : ` · std ${run.std.toFixed(2)}`;
  const samples = run.samples === undefined ? '' : ` · ${fmt(run.samples)} samples`;
  const status: StepStatus = run.decision === 'GO' ? 'complete' : run.decision === 'CAUTION' ? 'attention' : 'failed';
  const badge = run.decision === 'GO' ? '🟢' : run.decision === 'CAUTION' ? '🟡' : '🔴';
  return step(
    'dryrun',
    status,
    `${badge} ${run.decision}${mean}${std}${samples}${run.stale ? ' · stale' : ''}`,
    `The last dry run decided ${run.decision}.${run.stale ? ` It is stale: ${run.stale}; re-run it.` : ''}`,
  );
}

function trainStep(snapshot: DatasetSnapshot): StepState {
  const job = snapshot.lastJob;
  if (!job) return trainGate(snapshot);
  const model = job.model ? ` · ${job.model}` : '';
  const progress = job.progress ? ` · ${job.progress}` : '';
  switch (job.status) {
    case 'launching':
    case 'validating':
    case 'queued':
      return step('train', 'running', `${job.status === 'queued' ? 'Queued' : 'Starting'}${model}`, 'The training job is accepted and waits for its turn (files validated, then queued).');
    case 'running':
      return step('train', 'running', job.progress || `Training${model}`, `Training${model}: the monitor follows the reward curves.`);
    case 'paused':
      return step('train', 'running', `Paused${progress}`, 'The training job is paused: resume it from the training monitor (or rft job --resume).');
    case 'succeeded':
      return step('train', 'complete', `Trained · ${job.resultModel ?? job.model ?? 'model ready'}`, `The last training job succeeded${job.resultModel ? `: ${job.resultModel}` : ''}.`);
    case 'cancelled':
      return step('train', 'attention', `Cancelled${progress}`, 'The last training job was cancelled.');
    case 'failed':
      return step(
        'train',
        'failed',
        `Failed${job.error ? `: ${job.error.length > 80 ? `${job.error.slice(0, 79)}…` : job.error}` : ''}`,
        `The last training job failed${job.error ? `: ${job.error}` : ''}.`,
      );
  }
}

/** Step 6 before any job: ready after a GO dry run (CAUTION asks for confirmation), otherwise what to do first. */
function trainGate(snapshot: DatasetSnapshot): StepState {
  const run = snapshot.lastDryRun;
  const backends = 'Training runs on OpenAI or Azure OpenAI (hosted RFT), TRL on one GPU machine, or verl on a Ray cluster.';
  if (!run)
    return step(
      'train',
      'waiting',
      snapshot.grader && !('error' in snapshot.grader) ? 'Run a dry run first' : 'Waits for a grader and a dry run',
      `Training needs a GO or CAUTION dry run (step 5). ${backends}`,
    );
  if (run.stale?.startsWith('grader.json')) return step('train', 'waiting', 'Run the dry run again (the grader changed)', `The newest dry run was scored with another grader. ${backends}`);
  if (run.decision === 'GO') return step('train', 'ready', 'Ready to train', `The newest dry run decided GO. ${backends}`);
  if (run.decision === 'CAUTION')
    return step('train', 'ready', 'Ready to train · asks for confirmation (CAUTION)', `The newest dry run decided CAUTION: training asks for confirmation first (rft train --yes). ${backends}`);
  return step('train', 'waiting', 'Waits for a GO or CAUTION dry run', `The newest dry run decided NO-GO: fix the grader or the data first (or force it: rft train --force). ${backends}`);
}

function deployStep(snapshot: DatasetSnapshot): StepState {
  const benchmark = snapshot.lastBenchmark;
  const change =
    benchmark && benchmark.base !== null && benchmark.tuned !== null
      ? ` · ${benchmark.base.toFixed(2)} → ${benchmark.tuned.toFixed(2)}${benchmark.relativeChange === null ? '' : ` (${benchmark.relativeChange >= 0 ? '+' : ''}${Math.round(benchmark.relativeChange * 100)} %)`}`
      : '';
  if (benchmark && benchmark.regressions.length > 0)
    return step(
      'deploy',
      'attention',
      `⚠ Regression: ${benchmark.regressions.join(', ')}${change}`,
      `The newest benchmark shows the tuned model worse on ${benchmark.regressions.join(', ')} (the paired bootstrap interval lies below 0). Review those topics before routing more traffic to it.`,
    );
  if (snapshot.deployment)
    return step(
      'deploy',
      'complete',
      `Deployed · ${snapshot.deployment.description ?? snapshot.deployment.model}`,
      `The tuned model ${snapshot.deployment.model} is routed by the gateway; rft deploy --undo restores the previous config.`,
    );
  if (snapshot.tunedModel)
    return step(
      'deploy',
      'ready',
      `Model ready: ${snapshot.tunedModel.model}${change}`,
      'Run the benchmarks (base vs tuned on the validation split), then deploy: replace in the gateway, a new endpoint, or an A/B test.',
    );
  return step('deploy', 'waiting', 'Waits for a trained model', 'Deployment writes gateway routing and benchmarks base vs tuned.');
}
