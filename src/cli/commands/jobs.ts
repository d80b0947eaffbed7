// `rft jobs <dataset>` lists the training jobs; `rft job <dataset> <id>` shows one as its backend sees it now,
// follows it (--watch), or cancels, pauses or resumes it (issue 13 §6).
import { parseArgs } from 'node:util';
import { TrainingError } from '../../core/train/backend';
import { createBackend } from '../../core/train/backends';
import { findJob, listJobs, jobPath, type JobRecord } from '../../core/train/jobFile';
import { stepDetailLines } from '../../core/train/stepDetails';
import { controlJob, isConnectionLoss, refreshJob, type JobAction } from '../../core/train/watch';
import type { Output } from '../output';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, UsageError } from '../usage';
import { requireDataset } from './dataset';
import { connectionFromEnv, follow, statusLine } from './train';

export async function jobsCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
  if (positionals.length !== 1) throw new UsageError('jobs needs exactly one <dataset folder>');
  const dir = requireDataset(positionals[0], 'jobs');
  const { jobs, damaged } = await listJobs(dir);
  if (values.json) {
    output.out(
      `${JSON.stringify({ jobs: [...jobs].reverse().map((job) => ({ id: job.id, backend: job.backend, remoteId: job.remoteId ?? null, status: job.status, model: job.model, resultModel: job.resultModel ?? null, error: job.error ?? null, progress: statusLine(job), createdAt: job.createdAt, updatedAt: job.updatedAt, job: jobPath(dir, job.id) })), damaged })}\n`,
    );
  } else {
    if (jobs.length === 0) output.out(`no training jobs in ${dir} (rft train ${dir} --backend openai|azure|trl|verl starts one)\n`);
    for (const job of [...jobs].reverse()) output.out(`${job.id}  ${job.backend.padEnd(6)} ${job.model}  ${statusLine(job)}\n`);
    for (const item of damaged) output.err(`${item.file}: ${item.error}\n`);
  }
  return damaged.length > 0 ? EXIT_INVALID : EXIT_OK;
}

export async function jobCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      watch: { type: 'boolean', default: false },
      cancel: { type: 'boolean', default: false },
      pause: { type: 'boolean', default: false },
      resume: { type: 'boolean', default: false },
      'base-url': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 2) throw new UsageError('job needs <dataset folder> <job id>');
  const actions = (['cancel', 'pause', 'resume'] as const).filter((action) => values[action]);
  if (actions.length + (values.watch ? 1 : 0) > 1) throw new UsageError('job takes one of --watch, --cancel, --pause, --resume');
  const dir = requireDataset(positionals[0], 'job');
  let job: JobRecord;
  try {
    job = await findJob(dir, positionals[1]);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const connection = connectionFromEnv({ baseURL: values['base-url'], needsClient: job.backend === 'openai' || job.backend === 'azure' });
  const backendFor = (record: JobRecord) => createBackend(record.backend, connection);
  const note = (text: string) => output.err(text);
  try {
    if (actions.length === 1) job = (await controlJob(dir, job.id, actions[0] as JobAction, backendFor)).job;
    else if (values.watch) job = (await follow(dir, job, connection, note)).job;
    else job = (await refreshJob(dir, job.id, backendFor)).job;
  } catch (error) {
    if (isConnectionLoss(error)) note(`cannot reach ${job.backend} (${(error as Error).message}): showing the job as last recorded\n`);
    else if (error instanceof TrainingError) {
      output.err(`rft job: ${error.message}\n`);
      return EXIT_USAGE;
    } else throw error;
  }
  output.out(values.json ? `${JSON.stringify({ ...job, jobFile: jobPath(dir, job.id) })}\n` : describeJob(job, jobPath(dir, job.id)));
  return job.status === 'failed' ? EXIT_INVALID : EXIT_OK;
}

function describeJob(job: JobRecord, file: string): string {
  const lines = [`${job.id}${job.remoteId ? ` (${job.remoteId})` : ''} · ${job.backend} · ${job.model}`, `  ${statusLine(job)}`];
  if (job.estimatedFinish && !['succeeded', 'failed', 'cancelled'].includes(job.status)) lines.push(`  expected to finish ${job.estimatedFinish}`);
  const tail = job.metrics.slice(-5);
  if (tail.length > 0)
    lines.push(
      '  metrics',
      ...tail.map(
        (point) =>
          `    step ${point.step}${point.train_reward_mean !== undefined ? `  train ${point.train_reward_mean.toFixed(3)}` : ''}${point.valid_reward_mean !== undefined ? `  valid ${point.valid_reward_mean.toFixed(3)}` : ''}`,
      ),
    );
  lines.push(...stepDetailLines(job));
  if (job.checkpoints.length > 0) lines.push(`  checkpoints ${job.checkpoints.length}, newest ${job.checkpoints.at(-1)!.model}`);
  for (const event of job.events.slice(-3)) lines.push(`  ${event.at} ${event.level} ${event.message}`);
  lines.push(`  job file ${file}`);
  return `${lines.join('\n')}\n`;
}
