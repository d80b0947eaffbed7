// src/core/train as the VS Code layer uses it: one place to import it from, so the commands can be tested with
// another. The form's split settings are honoured here: launchTraining splits only when exports/ has no RFT split,
// so a split made with other settings is made again first.
import type { ModelClient } from '../../core/llm/modelClient';
import type { Hyperparameters, TrainingBackend } from '../../core/train/backend';
import { createBackend, type BackendConnection } from '../../core/train/backends';
import { listJobs, type BackendId, type JobRecord } from '../../core/train/jobFile';
import { checkLaunchSettings, checkTrainingGate, launchTraining, type LaunchResult, type LaunchTrainingOptions, type TrainingGate } from '../../core/train/launch';
import { platformNotice } from '../../core/train/platformNotice';
import { currentSplit, splitDataset } from '../../core/train/split';
import { controlJob, watchJob, type JobAction, type WatchOptions } from '../../core/train/watch';
import type { SplitRequest } from '../../shared/trainProtocol';

export interface TrainCore {
  gate(dir: string, options?: { confirmCaution?: boolean }): Promise<TrainingGate>;
  /** Makes the RFT split with these settings unless exports/ holds one made with them. */
  ensureSplit(dir: string, split: SplitRequest, backend: BackendId, signal?: AbortSignal): Promise<void>;
  launch(dir: string, options: LaunchTrainingOptions): Promise<LaunchResult>;
  /** trl/verl: refuses settings the engine does not take (rft.json's and the form's), before anything is asked or written. */
  checkEngineSettings(dir: string, backend: BackendId, hyperparameters: Hyperparameters): Promise<void>;
  jobs(dir: string): Promise<JobRecord[]>;
  watch(dir: string, id: string, options: WatchOptions): Promise<JobRecord>;
  control(dir: string, id: string, action: JobAction, backend: TrainingBackend): Promise<JobRecord>;
  backend(id: BackendId, connection: BackendConnection): TrainingBackend;
  notice(backend: BackendId, now: Date): string | undefined;
  /** Why the backend takes no job at all now (OpenAI after its last day), or undefined. */
  refusal(backend: BackendId, now: Date): string | undefined;
}

const HOSTED: readonly BackendId[] = ['openai', 'azure'];

export const trainCore: TrainCore = {
  gate: (dir, options) => checkTrainingGate(dir, options),
  ensureSplit: async (dir, split, backend, signal) => {
    const current = await currentSplit(dir, { signal });
    const same =
      current?.format === 'rft' && current.options.validShare === split.validShare && current.options.stratify === split.stratify && current.options.generatedInValid === split.generatedInValid;
    if (same) return;
    await splitDataset(dir, { ...split, format: 'rft', ...(HOSTED.includes(backend) ? {} : { limits: false }), signal });
  },
  launch: (dir, options) => launchTraining(dir, options),
  checkEngineSettings: (dir, backend, hyperparameters) => checkLaunchSettings(dir, backend, hyperparameters),
  jobs: async (dir) => (await listJobs(dir)).jobs,
  watch: (dir, id, options) => watchJob(dir, id, options),
  control: async (dir, id, action, backend) => (await controlJob(dir, id, action, backend)).job,
  backend: (id, connection) => createBackend(id, connection),
  notice: (backend, now) => platformNotice(now, backend)?.text,
  refusal: (backend, now) => {
    const notice = platformNotice(now, backend);
    return notice?.level === 'refuse' ? notice.text : undefined;
  },
};

export type { BackendConnection, ModelClient };
