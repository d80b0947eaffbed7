// Launching a training job (issue 13 §2–4): the gate (a grader, and the newest dry run GO — CAUTION only when
// confirmed — unless forced), the split (made first when exports/ has none for RFT), the grader compiled for the
// backend, then the job recorded BEFORE the backend is asked: a launch that fails half-way (an upload or the
// create refused) leaves its job file with status `failed`, what was done (file ids) and the backend's message.
import { APIError } from 'openai';
import { listRuns, readRun } from '../dryrun/runFile';
import { graderHash } from '../dryrun/runDryRun';
import { runStaleness, stalenessFacts } from '../dryrun/staleness';
import { compileForOpenAI } from '../grader/compile/openai';
import { readGraderFile } from '../grader/graderFile';
import { TrainingError, type Hyperparameters, type PreparedLaunch, type TrainingBackend } from './backend';
import { createBackend, type BackendConnection } from './backends';
import { checkEngineSettings, writeEngineBundle, type Bundle } from './bundles';
import { isTerminal, listJobs, newJobId, updated, writeJob, type BackendId, type JobRecord } from './jobFile';
import { platformNotice, type PlatformNotice } from './platformNotice';
import { RayJobsError } from './rayJobsClient';
import { jobResponseFormat } from './responseFormat';
import { currentSplit, splitDataset, type SplitOptions, type SplitResult } from './split';

export type DryRunDecision = 'GO' | 'CAUTION' | 'NO-GO';

export interface TrainingGate {
  /** The newest finished dry run's decision, or null when there is none. */
  readonly decision: DryRunDecision | null;
  readonly run?: string;
  readonly allowed: boolean;
  /** CAUTION without confirmation: the caller asks the user (the CLI: --yes) and tries again. */
  readonly needsConfirmation: boolean;
  /** Why it is refused, or what was cleared ("the newest dry run decided GO"). */
  readonly reason: string;
  readonly warnings: readonly string[];
}

export class TrainingGateError extends TrainingError {
  constructor(readonly gate: TrainingGate) {
    super(gate.reason);
    this.name = 'TrainingGateError';
  }
}

export interface LaunchTrainingOptions {
  readonly backend: BackendId;
  readonly model: string;
  readonly suffix?: string;
  readonly seed?: number;
  readonly hyperparameters?: Hyperparameters;
  readonly metadata?: Readonly<Record<string, string>>;
  /** Train without a GO/CAUTION dry run (or with a NO-GO or stale one). */
  readonly force?: boolean;
  /** The user confirmed training on a CAUTION dry run. */
  readonly confirmCaution?: boolean;
  /** trl/verl: write the bundle, launch nothing, record no job. */
  readonly bundleOnly?: boolean;
  readonly rewardServerUrl?: string;
  /** verl: the cluster's size and the lasting folder for checkpoints (absolute path or file:// URI). */
  readonly cluster?: ClusterOptions;
  /** Hosted: the response format answers must follow (`response_format` of the reinforcement method); else rft.json's settings.train.responseFormat, else the rows'. */
  readonly responseFormat?: Record<string, unknown>;
  /** Used when the split is made first (no current RFT split in exports/). */
  readonly split?: Omit<SplitOptions, 'format' | 'signal'>;
  readonly connection?: BackendConnection;
  /** Instead of createBackend(backend, connection) (tests, the monitor). */
  readonly backendImpl?: TrainingBackend;
  readonly now?: Date;
  readonly signal?: AbortSignal;
}

export interface ClusterOptions {
  readonly nodes?: number;
  readonly gpusPerNode?: number;
  readonly checkpointDir?: string;
}

export interface LaunchResult {
  /** Absent for --bundle-only. */
  readonly job?: JobRecord;
  readonly jobPath?: string;
  readonly bundle?: Bundle;
  readonly split: SplitResult;
  /** The split was made by this launch. */
  readonly splitCreated: boolean;
  readonly gate: TrainingGate;
  readonly notice?: PlatformNotice;
}

const HOSTED: readonly BackendId[] = ['openai', 'azure'];

/** Whether the dataset may train now, from the newest finished dry run. */
export async function checkTrainingGate(datasetDir: string, options: { force?: boolean; confirmCaution?: boolean } = {}): Promise<TrainingGate> {
  const run = (await listRuns(datasetDir)).find((summary) => summary.status === 'complete' && summary.decision !== null);
  const warnings: string[] = [];
  const refuse = (reason: string, needsConfirmation = false): TrainingGate =>
    options.force
      ? { decision: run?.decision ?? null, run: run?.path, allowed: true, needsConfirmation: false, reason: `forced: ${reason}`, warnings }
      : { decision: run?.decision ?? null, run: run?.path, allowed: false, needsConfirmation, reason, warnings };
  if (!run || !run.decision) return refuse(`no dry run yet: run rft dry-run ${datasetDir} first (training needs a GO or CAUTION dry run), or pass --force`);
  const stale = runStaleness({ graderHash: (await readRun(run.path)).graderHash, startedAt: run.startedAt }, await stalenessFacts(datasetDir));
  if (stale?.startsWith('grader.json')) return refuse(`the newest dry run is stale (${stale}): run rft dry-run ${datasetDir} again, or pass --force`);
  if (stale) warnings.push(`the newest dry run is stale (${stale})`);
  if (run.decision === 'NO-GO') return refuse(`the newest dry run decided NO-GO (mean ${run.mean?.toFixed(2) ?? '–'}): fix the grader or the data (its diagnosis says how), or pass --force`);
  if (run.decision === 'CAUTION' && !options.confirmCaution)
    return refuse(`the newest dry run decided CAUTION (mean ${run.mean?.toFixed(2) ?? '–'}): confirm training anyway with --yes (or --force)`, true);
  return {
    decision: run.decision,
    run: run.path,
    allowed: true,
    needsConfirmation: false,
    reason: `the newest dry run decided ${run.decision}${run.decision === 'CAUTION' ? ' (confirmed)' : ''}`,
    warnings,
  };
}

export async function launchTraining(datasetDir: string, options: LaunchTrainingOptions): Promise<LaunchResult> {
  const now = options.now ?? new Date();
  if (!options.model) throw new TrainingError('no base model: pass --model <model>');
  const notice = platformNotice(now, options.backend);
  if (notice?.level === 'refuse') throw new TrainingError(notice.text);
  const loaded = await readGraderFile(datasetDir);
  if (!loaded) throw new TrainingError(`${datasetDir} has no grader.json: create one with rft grader init ${datasetDir} --preset correctness|format|tool-usage|conciseness`);
  const gate = await checkTrainingGate(datasetDir, options);
  if (!gate.allowed) throw new TrainingGateError(gate);

  const hosted = HOSTED.includes(options.backend);
  await checkLaunchSettings(datasetDir, options.backend, options.hyperparameters);
  const existing = await currentSplit(datasetDir, { signal: options.signal });
  const splitCreated = !existing || existing.format !== 'rft';
  const split = splitCreated ? await splitDataset(datasetDir, { ...options.split, format: 'rft', ...(hosted ? {} : { limits: false }), signal: options.signal }) : existing;

  let openaiGrader: Record<string, unknown> | undefined;
  let responseFormat: Record<string, unknown> | undefined;
  let bundle: LaunchResult['bundle'];
  if (hosted) {
    const compiled = await compileForOpenAI(loaded.grader, { baseDir: datasetDir, target: options.backend === 'azure' ? 'azure' : 'openai' });
    if (!compiled.grader) throw new TrainingError(`grader.json cannot train on ${options.backend}: ${compiled.problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')}`);
    openaiGrader = compiled.grader;
    responseFormat = await jobResponseFormat(datasetDir, split.files, compiled.grader, options.responseFormat);
  } else {
    const engine = options.backend === 'trl' ? 'trl' : 'verl';
    if (engine === 'trl' && !options.bundleOnly) await refuseWhileTrlRuns(datasetDir);
    if (options.rewardServerUrl !== undefined) checkRewardServerUrl(options.rewardServerUrl);
    bundle = await writeEngineBundle(datasetDir, engine, {
      model: options.model,
      split,
      hyperparameters: definedSettings(options.hyperparameters),
      rewardServerUrl: options.rewardServerUrl,
      ...options.cluster,
    });
    if (options.bundleOnly) return { bundle, split, splitCreated, gate, notice };
    if (engine === 'verl' && bundle.needsRewardServer && !options.rewardServerUrl) throw new TrainingError(VERL_NEEDS_REWARD_SERVER);
  }

  const backend = options.backendImpl ?? createBackend(options.backend, options.connection ?? {});
  const prepared: PreparedLaunch = {
    datasetDir,
    model: options.model,
    files: split.files,
    openaiGrader,
    responseFormat,
    hyperparameters: options.hyperparameters ?? {},
    suffix: options.suffix,
    seed: options.seed,
    metadata: options.metadata,
    rewardServerUrl: options.rewardServerUrl,
    bundle,
    signal: options.signal,
  };
  await backend.preflight?.(prepared);
  let job: JobRecord = {
    version: 1,
    id: newJobId(options.backend, now),
    backend: options.backend,
    model: options.model,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    status: 'launching',
    launcherPid: process.pid,
    graderHash: graderHash(loaded.resolved),
    files: { train: split.files.train, valid: split.files.valid, ...(bundle ? { bundle: bundle.dir } : {}) },
    hyperparameters: { ...options.hyperparameters },
    ...(options.suffix ? { suffix: options.suffix } : {}),
    progress: {},
    metrics: [],
    events: [],
    checkpoints: [],
  };
  let jobPath = await writeJob(datasetDir, job);
  const save = async (next: JobRecord) => {
    job = next;
    jobPath = await writeJob(datasetDir, next);
  };
  try {
    const launched = await backend.launch(prepared, job, save);
    const { launcherPid: _launcher, ...rest } = launched;
    await save(rest);
  } catch (error) {
    const message = launchFailure(options.backend, error);
    const failed = updated(job, { status: 'failed', error: message, events: [...job.events, { at: new Date().toISOString(), level: 'error', message }] });
    await writeJob(datasetDir, failed);
    throw new TrainingError(message, { record: failed, path: jobPath });
  }
  return { job, jobPath, bundle, split, splitCreated, gate, notice };
}

/** trl/verl: settings the engine does not take (rft.json's settings.train.<engine> and these) are refused before anything is split or written. */
export async function checkLaunchSettings(datasetDir: string, backend: BackendId, hyperparameters?: Hyperparameters): Promise<void> {
  if (backend === 'trl' || backend === 'verl') await checkEngineSettings(datasetDir, backend, definedSettings(hyperparameters));
}

const VERL_NEEDS_REWARD_SERVER =
  "the grader has js, judge or cosine graders, which only rft grader serve scores, and verl's workers on the cluster must reach it: start it where they can (rft grader serve <dataset> --host 0.0.0.0 --token <T>) and pass --reward-server http://<host>:8787 (without it every score would fail against 127.0.0.1); the bundle is in exports/verl/";

/** A reward server URL the trainer can call: http(s), with a host. */
function checkRewardServerUrl(value: string): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || !url.hostname)
    throw new TrainingError(`--reward-server ${value}: expected an http(s) URL such as http://10.0.0.5:8787 (where rft grader serve listens)`);
}

/** The backend's own words: OpenAI's error message as it wrote it, with the HTTP status. */
export function launchFailure(backend: BackendId, error: unknown): string {
  if (error instanceof APIError) {
    const body = error.error as { message?: unknown } | undefined;
    const message = typeof body?.message === 'string' ? body.message : error.message;
    return `${backend} refused the launch${error.status ? ` (HTTP ${error.status})` : ''}: ${message}`;
  }
  if (error instanceof RayJobsError || error instanceof TrainingError) return error.message;
  return `the launch on ${backend} failed: ${(error as Error).message ?? String(error)}`;
}

/** A TRL job runs in exports/trl/: a second one would rewrite the bundle under it. */
async function refuseWhileTrlRuns(datasetDir: string): Promise<void> {
  const running = (await listJobs(datasetDir)).jobs.find((job) => job.backend === 'trl' && !isTerminal(job.status));
  if (running) throw new TrainingError(`TRL job ${running.id} is still ${running.status} in exports/trl: wait for it or cancel it (rft job ${datasetDir} ${running.id} --cancel) first`);
}

/** The settings given, without the unset ones (the bundle's defaults and rft.json fill those). */
function definedSettings(hyperparameters: Hyperparameters | undefined): Record<string, string | number> {
  return Object.fromEntries(Object.entries(hyperparameters ?? {}).filter((entry): entry is [string, string | number] => entry[1] !== undefined));
}
