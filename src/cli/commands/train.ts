// `rft train <dataset> --backend openai|azure|trl|verl`: step 6 on the command line (issue 13 §6) — the gate, the
// split first when exports/ has none, the launch recorded in .rft/jobs/<id>.json, and --watch to follow it.
import { parseArgs } from 'node:util';
import { ModelClient } from '../../core/llm/modelClient';
import { providerFromEnv } from '../../core/llm/providerConfig';
import { TrainingError, type Hyperparameters } from '../../core/train/backend';
import type { BackendConnection } from '../../core/train/backends';
import { BundleError } from '../../core/train/bundles/bundleSupport';
import { BACKEND_IDS, isTerminal, type BackendId, type JobRecord } from '../../core/train/jobFile';
import { launchTraining, TrainingGateError, type ClusterOptions } from '../../core/train/launch';
import { jobSummary, summaryLine } from '../../core/train/progress';
import { stepDetailLines } from '../../core/train/stepDetails';
import { SplitError } from '../../core/train/split';
import { createBackend } from '../../core/train/backends';
import { watchJob } from '../../core/train/watch';
import type { Output } from '../output';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, parseCount, parsePositiveInt, UsageError } from '../usage';
import { requireDataset } from './dataset';

export async function trainCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      backend: { type: 'string' },
      model: { type: 'string' },
      suffix: { type: 'string' },
      seed: { type: 'string' },
      'n-epochs': { type: 'string' },
      'bundle-only': { type: 'boolean', default: false },
      'ray-address': { type: 'string' },
      'reward-server': { type: 'string' },
      nodes: { type: 'string' },
      'gpus-per-node': { type: 'string' },
      'checkpoint-dir': { type: 'string' },
      'base-url': { type: 'string' },
      watch: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('train needs exactly one <dataset folder>');
  const backend = values.backend as BackendId | undefined;
  if (!backend || !(BACKEND_IDS as readonly string[]).includes(backend)) throw new UsageError(`train needs --backend ${BACKEND_IDS.join('|')}${values.backend ? ` (got "${values.backend}")` : ''}`);
  if (values['bundle-only'] && (backend === 'openai' || backend === 'azure')) throw new UsageError('--bundle-only is for the engines (trl, verl); openai and azure train on the hosted API');
  const dir = requireDataset(positionals[0], 'train');
  const model = values.model ?? process.env.RFT_MODEL;
  if (!model) throw new UsageError('train needs a base model: pass --model <model> (or set RFT_MODEL)');
  const nEpochs = parseCount('--n-epochs', values['n-epochs']);
  const seed = parsePositiveInt('--seed', values.seed);
  const hyperparameters: Hyperparameters = nEpochs !== undefined ? { n_epochs: nEpochs } : {};
  const cluster = clusterFlags(values, backend);
  const connection = connectionFromEnv({ baseURL: values['base-url'], rayAddress: values['ray-address'], needsClient: backend === 'openai' || backend === 'azure' });
  const note = (text: string) => output.err(text);

  let launched;
  try {
    launched = await launchTraining(dir, {
      backend,
      model,
      suffix: values.suffix,
      seed,
      hyperparameters,
      force: values.force,
      confirmCaution: values.yes,
      bundleOnly: values['bundle-only'],
      rewardServerUrl: values['reward-server'],
      cluster,
      connection,
    });
  } catch (error) {
    if (error instanceof TrainingError && error.job) {
      // the backend refused: the job is recorded as failed with its words
      output.out(values.json ? `${JSON.stringify(trainJson(error.job.record, error.job.path))}\n` : '');
      output.err(`rft train: ${error.message}\n  recorded in ${error.job.path}\n`);
      return EXIT_INVALID;
    }
    if (error instanceof TrainingGateError || error instanceof TrainingError || error instanceof SplitError || error instanceof BundleError) {
      output.err(`rft train: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  if (launched.notice) note(`${launched.notice.text}\n`);
  for (const warning of launched.gate.warnings) note(`warning: ${warning}\n`);
  if (launched.splitCreated) note(`split first: ${launched.split.train} train · ${launched.split.valid} valid → ${launched.split.files.train}, ${launched.split.files.valid}\n`);
  for (const line of launched.bundle?.notes ?? []) note(`note: ${line}\n`);
  for (const warning of launched.split.warnings) note(`warning: ${warning.message}\n`);

  if (!launched.job) {
    const bundle = launched.bundle!;
    const json = {
      backend,
      jobId: null,
      status: 'bundle',
      model,
      files: { train: launched.split.files.train, valid: launched.split.files.valid, bundle: bundle.dir },
      job: null,
      notes: bundle.notes,
      ...(bundle.promptChanges ? { promptChanges: bundle.promptChanges } : {}),
    };
    output.out(
      values.json
        ? `${JSON.stringify(json)}\n`
        : `${backend} bundle in ${bundle.dir} (${bundle.files.length} files) · run it where the GPUs are: cd ${bundle.dir} && ${bundle.launchCommand.join(' ')}\n`,
    );
    return EXIT_OK;
  }
  let job = launched.job;
  if (values.watch) {
    const watched = await follow(dir, job, connection, note);
    job = watched.job;
    if (watched.interrupted) note(`stopped watching; the job goes on: rft job ${dir} ${job.id} --watch\n`);
  }
  output.out(values.json ? `${JSON.stringify(trainJson(job, launched.jobPath!))}\n` : describeLaunch(dir, job, launched.jobPath!));
  return job.status === 'failed' || job.status === 'cancelled' ? EXIT_INVALID : EXIT_OK;
}

/** --nodes, --gpus-per-node, --checkpoint-dir: where a verl job runs and keeps its checkpoints (other backends refuse them). */
function clusterFlags(values: { nodes?: string; 'gpus-per-node'?: string; 'checkpoint-dir'?: string }, backend: BackendId): ClusterOptions | undefined {
  const given = (['nodes', 'gpus-per-node', 'checkpoint-dir'] as const).filter((flag) => values[flag] !== undefined);
  if (given.length === 0) return undefined;
  if (backend !== 'verl') throw new UsageError(`${given.map((flag) => `--${flag}`).join(', ')}: only for --backend verl (a Ray cluster)`);
  const checkpointDir = values['checkpoint-dir'];
  return { nodes: parseCount('--nodes', values.nodes), gpusPerNode: parseCount('--gpus-per-node', values['gpus-per-node']), ...(checkpointDir !== undefined ? { checkpointDir } : {}) };
}

/** How to reach the backends, from the environment (keys never come from flags). */
export function connectionFromEnv(options: { baseURL?: string; rayAddress?: string; needsClient: boolean }): BackendConnection {
  const provider = options.needsClient ? providerFromEnv(process.env, { baseURL: options.baseURL }) : undefined;
  const trlCommand = process.env.RFT_TRL_COMMAND;
  const pollMs = parsePositiveInt('RFT_TRAIN_POLL_MS', process.env.RFT_TRAIN_POLL_MS);
  return {
    ...(provider ? { client: new ModelClient(provider) } : {}),
    ...(pollMs ? { hosted: { filePollMs: pollMs } } : {}),
    ray: { address: options.rayAddress ?? process.env.RFT_RAY_ADDRESS, token: process.env.RFT_RAY_TOKEN, rewardToken: process.env.RFT_REWARD_TOKEN },
    trl: trlCommand ? { command: ['/bin/sh', '-c', trlCommand] } : {},
  };
}

/** Watches until the job ends or SIGINT/SIGTERM (the job itself goes on). */
export async function follow(dir: string, job: JobRecord, connection: BackendConnection, note: (text: string) => void): Promise<{ job: JobRecord; interrupted: boolean }> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let last = '';
  try {
    const watched = await watchJob(dir, job.id, {
      backend: (record) => createBackend(record.backend, connection),
      signal: controller.signal,
      intervalMs: parsePositiveInt('RFT_TRAIN_POLL_MS', process.env.RFT_TRAIN_POLL_MS) || 15_000,
      onUpdate: (update) => {
        if (update.kind === 'connectionLost') note(`lost the connection to ${update.job.backend} (${update.error}); trying again in ${Math.round(update.retryInMs / 1000)} s\n`);
        else if (update.kind === 'reconnected') note(`connected to ${update.job.backend} again\n`);
        else {
          const line = statusLine(update.job);
          if (line !== last) note(`${line}\n`);
          last = line;
        }
      },
    });
    return { job: watched, interrupted: !isTerminal(watched.status) };
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

export function statusLine(job: JobRecord): string {
  const summary = summaryLine(jobSummary(job));
  const end = job.status === 'succeeded' && job.resultModel ? ` → ${job.resultModel}` : job.status === 'failed' && job.error ? `: ${job.error}` : '';
  return `${job.status}${summary ? ` · ${summary}` : ''}${end}`;
}

/** The --json contract of issue 13 §6. */
export function trainJson(job: JobRecord, file: string) {
  return {
    backend: job.backend,
    jobId: job.id,
    status: job.status,
    model: job.model,
    files: job.files,
    job: file,
    ...(job.remoteId ? { remoteId: job.remoteId } : {}),
    ...(job.resultModel ? { resultModel: job.resultModel } : {}),
    ...(job.result ? { result: job.result } : {}),
    ...(job.error ? { error: job.error } : {}),
  };
}

function describeLaunch(dir: string, job: JobRecord, file: string): string {
  return (
    [
      `${job.backend} job ${job.id}${job.remoteId ? ` (${job.remoteId})` : ''} · ${job.model} · ${statusLine(job)}`,
      `  train ${job.files.train}`,
      `  valid ${job.files.valid}`,
      ...(job.files.bundle ? [`  bundle ${job.files.bundle}`] : []),
      ...stepDetailLines(job),
      ...(job.result?.path ? [`  model ${job.result.path} (Hugging Face, on the cluster)`] : job.result?.checkpointDir ? [`  checkpoints ${job.result.checkpointDir} (on the cluster)`] : []),
      `  job file ${file}`,
      ...(isTerminal(job.status) ? [] : [`  follow it: rft job ${dir} ${job.id} --watch`]),
    ].join('\n') + '\n'
  );
}
