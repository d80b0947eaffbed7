// Follows training jobs while VS Code runs: the newest unfinished job of a dataset is polled (watchJob) and its
// job file rewritten, so the tree's step 6 follows it (the registry watches .rft/jobs/*.json) and an open
// training panel draws each update. Monitoring resumes from the job file after a reload: on activation for every
// dataset whose newest job is unfinished, and when a training panel opens.
import * as vscode from 'vscode';
import type { BackendCapabilities, TrainingBackend } from '../../core/train/backend';
import { isTerminal, type BackendId, type JobRecord } from '../../core/train/jobFile';
import type { BackendConnection, TrainCore } from './trainCore';

export interface JobUpdate {
  readonly dir: string;
  readonly job: JobRecord;
  readonly capabilities: BackendCapabilities;
}

export interface MonitorProblem {
  readonly dir: string;
  readonly message: string;
}

interface Watch {
  readonly jobId: string;
  readonly controller: AbortController;
  readonly backend: TrainingBackend;
}

export class TrainingMonitor implements vscode.Disposable {
  private readonly watches = new Map<string, Watch>();
  private readonly updates = new vscode.EventEmitter<JobUpdate>();
  private readonly problems = new vscode.EventEmitter<MonitorProblem>();
  readonly onDidUpdate = this.updates.event;
  readonly onProblem = this.problems.event;

  constructor(
    private readonly core: TrainCore,
    /** How to reach a backend (the provider's client for openai/azure); undefined when it is not configured (said). */
    private readonly connect: (backend: BackendId) => Promise<BackendConnection | undefined>,
    private readonly intervalMs: () => number,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The newest job of the dataset, followed when it is unfinished; undefined when the dataset never trained. */
  async follow(dir: string): Promise<JobRecord | undefined> {
    const newest = (await this.core.jobs(dir)).at(-1);
    if (newest && !isTerminal(newest.status) && newest.status !== 'launching') await this.watch(dir, newest);
    return newest;
  }

  /** Follows `job` (replacing a watch of another job of the dataset). */
  async watch(dir: string, job: JobRecord, backend?: TrainingBackend): Promise<void> {
    const current = this.watches.get(dir);
    if (current?.jobId === job.id) return;
    current?.controller.abort();
    const impl = backend ?? (await this.backendFor(dir, job.backend));
    if (!impl) return;
    const controller = new AbortController();
    const watch: Watch = { jobId: job.id, controller, backend: impl };
    this.watches.set(dir, watch);
    this.log.info(`Following training job ${job.id} (${job.backend}) of ${dir}`);
    const publish = (next: JobRecord) => this.updates.fire({ dir, job: next, capabilities: impl.capabilities });
    this.core
      .watch(dir, job.id, {
        backend: impl,
        signal: controller.signal,
        intervalMs: this.intervalMs(),
        onUpdate: (update) => {
          if (update.kind === 'connectionLost') {
            this.log.warn(`Training job ${job.id}: ${update.error}; retrying in ${Math.round(update.retryInMs / 1000)} s`);
            this.problems.fire({ dir, message: `Lost the connection to ${job.backend} (${update.error}); monitoring resumes in ${Math.round(update.retryInMs / 1000)} s.` });
          }
          publish(update.job);
        },
      })
      .then((final) => {
        if (!controller.signal.aborted) this.log.info(`Training job ${final.id}: ${final.status}${final.resultModel ? ` → ${final.resultModel}` : ''}${final.error ? ` (${final.error})` : ''}`);
      })
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.log.error(`Monitoring training job ${job.id} stopped: ${message}`);
        this.problems.fire({ dir, message: `Monitoring stopped: ${message}` });
      })
      .finally(() => {
        if (this.watches.get(dir) === watch) this.watches.delete(dir);
      });
  }

  /** The backend that follows the dataset's job, when one does. */
  watchedBackend(dir: string, jobId: string): TrainingBackend | undefined {
    const watch = this.watches.get(dir);
    return watch?.jobId === jobId ? watch.backend : undefined;
  }

  /** The backend for a job of this kind, or undefined (with the reason posted as a problem). */
  async backendFor(dir: string, id: BackendId): Promise<TrainingBackend | undefined> {
    try {
      const connection = await this.connect(id);
      if (!connection) {
        this.problems.fire({ dir, message: `Cannot reach ${id}: no model provider is configured (RFT: Set API Key, and the base URL in the settings).` });
        return undefined;
      }
      return this.core.backend(id, connection);
    } catch (error) {
      this.problems.fire({ dir, message: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
  }

  dispose(): void {
    for (const watch of this.watches.values()) watch.controller.abort();
    this.watches.clear();
    this.updates.dispose();
    this.problems.dispose();
  }
}
