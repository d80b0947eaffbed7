import type OpenAI from 'openai';
import { BatchStore } from './batches';
import { FileStore, type FilePurpose } from './files';
import { FineTuningJobStore, type JobError, type JobStatus } from './fineTuningJobs';
import { IdGenerator } from './ids';
import { StoredCompletionStore, type StoredCompletion, type StoredCompletionSeed } from './storedCompletions';

/** Everything the server remembers, for seeding before a test and for assertions after it. */
export class OpenAiTestServerState {
  readonly ids = new IdGenerator();
  readonly files = new FileStore(this.ids);
  readonly completions = new StoredCompletionStore(this.ids);
  readonly fineTuning = new FineTuningJobStore(this.ids, this.files);
  readonly batches = new BatchStore(this.ids);

  /** Seeds a stored chat completion, as if it had been created with `store: true`. */
  storeCompletion(seed: StoredCompletionSeed): StoredCompletion {
    return this.completions.seed(seed);
  }

  /** Seeds an uploaded file. */
  addFile(input: { filename: string; purpose: FilePurpose; content: Buffer | string; createdAt?: number }): OpenAI.FileObject {
    return this.files.add(input);
  }

  /** Makes a fine-tuning job fail at its next move, or when it would reach `atStatus`. */
  failJob(id: string, options?: { error?: Partial<JobError>; atStatus?: JobStatus }): void {
    this.fineTuning.failJob(id, options);
  }

  clear(): void {
    this.files.clear();
    this.completions.clear();
    this.fineTuning.clear();
    this.batches.clear();
  }
}
