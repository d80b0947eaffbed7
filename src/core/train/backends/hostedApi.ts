// The one place where the hosted fine-tuning API and the `openai` SDK's types part ways: the SDK types a grader as
// a closed union (a multi grader's map of named graders is wider than it says), has no `response_format` on a
// reinforcement method, no `paused` status, and no Azure `pending` (LiteLLM's Azure fine-tuning fix, BerriAI/litellm
// #24687, maps it to queued). Everything else of the train backends uses these types.
import { toFile } from 'openai';
import type { FileObject } from 'openai/resources/files';
import type { FineTuningJob, FineTuningJobEvent, JobCreateParams } from 'openai/resources/fine-tuning/jobs/jobs';
import type { FineTuningJobCheckpoint } from 'openai/resources/fine-tuning/jobs/checkpoints';
import type { ModelClient } from '../../llm/modelClient';

export type HostedJobStatus = FineTuningJob['status'] | 'paused' | 'pending';
export type HostedJob = Omit<FineTuningJob, 'status'> & { readonly status: HostedJobStatus };
export type HostedEvent = FineTuningJobEvent;
export type HostedCheckpoint = FineTuningJobCheckpoint;

export interface ReinforcementJobRequest {
  readonly model: string;
  readonly training_file: string;
  readonly validation_file?: string;
  readonly suffix?: string;
  readonly seed?: number;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly method: {
    readonly type: 'reinforcement';
    readonly reinforcement: {
      readonly grader: Record<string, unknown>;
      readonly response_format?: Record<string, unknown>;
      readonly hyperparameters: Readonly<Record<string, unknown>>;
    };
  };
}

/** Every status an upload can have on OpenAI or Azure OpenAI (Azure's v1 reference, `OpenAI.OpenAIFile.status`). */
export type FileStatus = 'uploaded' | 'pending' | 'running' | 'processed' | 'error' | 'deleting' | 'deleted';
export type HostedFile = Omit<FileObject, 'status'> & { readonly status: FileStatus };

export class HostedFineTuning {
  constructor(private readonly client: ModelClient) {}

  /** The new file's id and its status as the upload answered it (Azure's start `pending`). */
  async uploadFile(name: string, content: Buffer, signal?: AbortSignal): Promise<{ readonly id: string; readonly status: FileStatus }> {
    const file = await this.client.request(async (abort) => this.client.openai.files.create({ file: await toFile(content, name), purpose: 'fine-tune' }, { signal: abort }), { signal });
    return { id: file.id, status: file.status as FileStatus };
  }

  /** One job of the organisation's list: the cheapest call of the fine-tuning API (throws what the API answered). */
  async listOne(signal?: AbortSignal): Promise<readonly HostedJob[]> {
    return (await this.client.request((abort) => this.client.openai.fineTuning.jobs.list({ limit: 1 }, { signal: abort }), { signal })).data as HostedJob[];
  }

  /** The file's status: Azure's are `pending`, then `running`, then `processed` (or `error`); OpenAI's `processed`. */
  async file(id: string, signal?: AbortSignal): Promise<HostedFile> {
    return (await this.client.request((abort) => this.client.openai.files.retrieve(id, { signal: abort }), { signal })) as unknown as HostedFile;
  }

  async create(request: ReinforcementJobRequest, signal?: AbortSignal): Promise<HostedJob> {
    return (await this.client.request((abort) => this.client.openai.fineTuning.jobs.create(request as unknown as JobCreateParams, { signal: abort }), { signal })) as HostedJob;
  }

  async retrieve(id: string, signal?: AbortSignal): Promise<HostedJob> {
    return (await this.client.request((abort) => this.client.openai.fineTuning.jobs.retrieve(id, { signal: abort }), { signal })) as HostedJob;
  }

  async cancel(id: string): Promise<HostedJob> {
    return (await this.client.request((abort) => this.client.openai.fineTuning.jobs.cancel(id, { signal: abort }))) as HostedJob;
  }

  async pause(id: string): Promise<HostedJob> {
    return (await this.client.request((abort) => this.client.openai.fineTuning.jobs.pause(id, { signal: abort }))) as HostedJob;
  }

  async resume(id: string): Promise<HostedJob> {
    return (await this.client.request((abort) => this.client.openai.fineTuning.jobs.resume(id, { signal: abort }))) as HostedJob;
  }

  /** Events newer than `knownIds` (the API lists newest first), oldest first. */
  async newEvents(id: string, knownIds: ReadonlySet<string>, signal?: AbortSignal): Promise<HostedEvent[]> {
    const fresh: HostedEvent[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.client.request((abort) => this.client.openai.fineTuning.jobs.listEvents(id, { limit: 100, ...(after ? { after } : {}) }, { signal: abort }), { signal });
      let reachedKnown = false;
      for (const event of page.data) {
        if (knownIds.has(event.id)) {
          reachedKnown = true;
          break;
        }
        fresh.push(event);
      }
      if (reachedKnown || !page.has_more || page.data.length === 0) break;
      after = page.data[page.data.length - 1].id;
    }
    return fresh.reverse();
  }

  async checkpoints(id: string, signal?: AbortSignal): Promise<HostedCheckpoint[]> {
    const all: HostedCheckpoint[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.client.request((abort) => this.client.openai.fineTuning.jobs.checkpoints.list(id, { limit: 100, ...(after ? { after } : {}) }, { signal: abort }), { signal });
      all.push(...page.data);
      if (!page.has_more || page.data.length === 0) break;
      after = page.data[page.data.length - 1].id;
    }
    return all;
  }
}
