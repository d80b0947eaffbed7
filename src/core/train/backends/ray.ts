// verl on a Ray cluster (issue 13 §3): the bundle's files zipped (deterministically; nothing a trial run left in the
// folder) and uploaded as the job's working_dir package, the launch command submitted as the entrypoint through the
// Ray Jobs REST API with the run's environment (its checkpoint folder, the reward server), then status and logs
// polled: verl's console `step:N - key:value` lines become the curves, and the launch script's result line says
// where the Hugging Face model is (the job's result, which step 7 serves).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TrainingError, type BackendCapabilities, type TrainingBackend } from '../backend';
import { mergeMetrics, updated, type JobEvent, type JobRecord, type JobResult, type JobStatus, type RayJobInfo } from '../jobFile';
import { RayJobsClient, type RayJobStatus } from '../rayJobsClient';
import { namedEntries, zipEntries } from '../zip';
import { parseVerlMetricsLine, parseVerlResultLine, type VerlResultLine } from '../bundles/verlMetrics';
import { engineMetricPoint, engineProgress } from './engineMetrics';
import { shellQuote } from '../bundles/bundleSupport';

const RUNTIME_ENV_FILE = 'runtime_env.yaml';
const CAPABILITIES: BackendCapabilities = { cancel: true, pause: false, resume: false };

const STATUS: Record<RayJobStatus, JobStatus> = { PENDING: 'queued', RUNNING: 'running', STOPPED: 'cancelled', SUCCEEDED: 'succeeded', FAILED: 'failed' };

export interface RayBackendOptions {
  /** The dashboard, e.g. http://head-node:8265. */
  readonly address?: string;
  /** Bearer token for a cluster with token auth (never stored in the job file). */
  readonly token?: string;
  readonly entrypointNumGpus?: number;
  readonly env?: Readonly<Record<string, string>>;
  /** The token of `rft grader serve` (RFT_REWARD_TOKEN), passed to the job with the server's URL. */
  readonly rewardToken?: string;
  readonly fetch?: typeof fetch;
}

export function rayBackend(options: RayBackendOptions = {}): TrainingBackend {
  const clientFor = (address: string | undefined) => {
    if (!address) throw new TrainingError('the verl backend needs the Ray dashboard address: pass --ray-address http://<head>:8265 (or set RFT_RAY_ADDRESS)');
    return new RayJobsClient(address, options.token, options.fetch);
  };

  return {
    id: 'verl',
    capabilities: CAPABILITIES,

    async launch(prepared, job, save) {
      const bundle = prepared.bundle;
      if (!bundle) throw new TrainingError('the verl backend needs the verl bundle (exports/verl/)');
      const client = clientFor(options.address);
      const zip = zipEntries(await namedEntries(bundle.dir, bundle.files));
      const packageUri = await client.ensurePackage(zip);
      const entrypoint = bundle.launchCommand.map(shellQuote).join(' ');
      const submissionId = `rft_${job.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
      const result: JobResult | undefined = bundle.checkpointDir ? { checkpointDir: `${bundle.checkpointDir}/${job.id}` } : undefined;
      job = updated(job, { ray: { address: options.address!, submissionId, packageUri, entrypoint, logOffset: 0 }, ...(result ? { result } : {}) });
      await save(job);
      const runEnv = {
        RFT_RUN_ID: job.id,
        ...(prepared.rewardServerUrl ? { RFT_REWARD_SERVER: prepared.rewardServerUrl } : {}),
        ...(prepared.rewardServerUrl && options.rewardToken ? { RFT_REWARD_TOKEN: options.rewardToken } : {}),
      };
      const submitted = await client.submitJob({
        entrypoint,
        submission_id: submissionId,
        runtime_env: await runtimeEnvOf(bundle.dir, packageUri, { ...runEnv, ...options.env }),
        metadata: { rft_job: job.id, model: prepared.model },
        ...(options.entrypointNumGpus !== undefined ? { entrypoint_num_gpus: options.entrypointNumGpus } : {}),
      });
      return updated(job, {
        status: 'queued',
        remoteId: submitted.submission_id,
        events: [...job.events, { at: new Date().toISOString(), level: 'info', message: `Submitted to ${options.address} as ${submitted.submission_id} (package ${packageUri})` }],
      });
    },

    async poll(job) {
      const ray = rayOf(job);
      const client = clientFor(ray.address);
      const details = await client.jobDetails(ray.submissionId);
      const logs = await client.jobLogs(ray.submissionId);
      // a log shorter than what was read means the cluster restarted the logs: read them again from the start
      const from = logs.length >= ray.logOffset ? ray.logOffset : 0;
      const end = logs.lastIndexOf('\n') + 1;
      const fresh = end > from ? logs.slice(from, end).split('\n') : [];
      const lines = fresh.map((line) => parseVerlMetricsLine(line)).filter((parsed) => parsed !== undefined);
      const reported = fresh
        .map((line) => parseVerlResultLine(line))
        .filter((parsed) => parsed !== undefined)
        .at(-1);
      const result = reported ? resultOf(job.result, reported) : job.result;
      const epochs = typeof job.hyperparameters.n_epochs === 'number' ? job.hyperparameters.n_epochs : job.progress.totalEpochs;
      const progress = engineProgress(job.progress, lines, epochs, 'zeroBased');
      const at = new Date().toISOString();
      const status = STATUS[details.status] ?? job.status;
      const changed: JobEvent[] =
        status !== job.status ? [{ at, level: status === 'failed' ? 'error' : 'info', message: `Ray job ${details.status}${details.message ? `: ${details.message}` : ''}` }] : [];
      if (reported) changed.push({ at, level: 'info', message: `The Hugging Face model of step ${reported.step ?? '?'} is in ${reported.path} (on the cluster)` });
      const succeeded = status === 'succeeded' && job.status !== 'succeeded';
      if (succeeded && !result?.path)
        changed.push({
          at,
          level: 'warn',
          message: `The job ended without saying where its Hugging Face model is (the job's logs tell why; checkpoints: ${result?.checkpointDir ?? 'trainer.default_local_dir'})`,
        });
      return updated(job, {
        status,
        ray: { ...ray, logOffset: Math.max(from, end) },
        progress,
        metrics: mergeMetrics(
          job.metrics,
          lines.map((line) => engineMetricPoint(line, at)),
        ),
        events: [...job.events, ...changed],
        ...(result ? { result } : {}),
        ...(status === 'succeeded' && result?.path ? { resultModel: result.path } : {}),
        ...(status === 'failed' ? { error: details.message ?? `the Ray job failed${details.error_type ? ` (${details.error_type})` : ''}` } : {}),
      });
    },

    async cancel(job) {
      const ray = rayOf(job);
      const stopped = await clientFor(ray.address).stopJob(ray.submissionId);
      const message = stopped ? `Asked the Ray cluster to stop ${ray.submissionId}` : `${ray.submissionId} had already ended`;
      const next = updated(job, { events: [...job.events, { at: new Date().toISOString(), level: 'info', message }] });
      return stopped ? updated(next, { status: 'cancelled' }) : this.poll(next);
    },
  };
}

/** The bundle's runtime_env.yaml (env vars, pip if enabled) with the uploaded package as working_dir, plus `env`. */
async function runtimeEnvOf(dir: string, packageUri: string, env: Readonly<Record<string, string>> | undefined): Promise<Record<string, unknown>> {
  let fromBundle: Record<string, unknown> = {};
  try {
    const { parse } = await import('yaml');
    const parsed: unknown = parse(await fs.promises.readFile(path.join(dir, RUNTIME_ENV_FILE), 'utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) fromBundle = parsed as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new TrainingError(`${RUNTIME_ENV_FILE} of the verl bundle cannot be read: ${(error as Error).message}`);
  }
  const bundleVars = fromBundle.env_vars && typeof fromBundle.env_vars === 'object' ? (fromBundle.env_vars as Record<string, unknown>) : {};
  const envVars = Object.fromEntries(Object.entries({ ...bundleVars, ...env }).map(([name, value]) => [name, String(value)]));
  return { ...fromBundle, working_dir: packageUri, ...(Object.keys(envVars).length > 0 ? { env_vars: envVars } : {}) };
}

function resultOf(known: JobResult | undefined, reported: VerlResultLine): JobResult {
  return {
    ...known,
    path: reported.path,
    format: 'huggingface',
    ...(reported.step !== undefined ? { step: reported.step } : {}),
    ...(reported.checkpointDir ? { checkpointDir: reported.checkpointDir } : {}),
  };
}

function rayOf(job: JobRecord): RayJobInfo {
  if (!job.ray) throw new TrainingError(`job ${job.id} was never submitted to a Ray cluster (${job.error ?? 'no submission recorded'})`);
  return job.ray;
}
