// The tuned model (issue 14 §1): recorded by hand in `.rft/tuned.json`, or the result of the newest succeeded
// training job (`.rft/jobs/<id>.json`). Never a key: the endpoint names the environment variable that holds it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { STATE_DIR } from '../dataset/manifest';
import { writeFileAtomic } from '../fs/atomicWrite';
import type { ProviderConfig } from '../llm/providerConfig';
import type { EndpointKind, TunedModel } from './tunedModelTypes';

export type { EndpointKind, TunedModel };

export const TUNED_FILE = path.join(STATE_DIR, 'tuned.json');
const JOBS = path.join(STATE_DIR, 'jobs');

export class TunedModelError extends Error {}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A name of an environment variable, not a key ("sk-…" and other secrets are refused). */
export function checkEnvName(name: string, what = 'api key'): string {
  if (!ENV_NAME.test(name) || /^(sk|key|ghp|xox)[-_]/i.test(name) || name.length > 64)
    throw new TunedModelError(`${what}: "${redact(name)}" is not an environment variable name; keys stay os.environ/NAME references (pass the variable's name, e.g. OPENAI_API_KEY)`);
  return name;
}

export const redact = (value: string) => (value.length <= 8 ? '…' : `${value.slice(0, 3)}…${value.slice(-2)}`);

/** The default key variable of an endpoint kind (a compatible server may need none). */
export function defaultKeyEnv(endpoint: EndpointKind): string | undefined {
  return endpoint === 'openai' ? 'OPENAI_API_KEY' : endpoint === 'azure' ? 'AZURE_API_KEY' : undefined;
}

export async function writeTunedModel(dir: string, tuned: Omit<TunedModel, 'recordedAt' | 'source'> & { source?: TunedModel['source'] }): Promise<TunedModel> {
  if (!tuned.model.trim()) throw new TunedModelError('the tuned model needs a model id');
  if (tuned.apiKeyEnv) checkEnvName(tuned.apiKeyEnv);
  if (tuned.endpoint === 'compatible' && !tuned.baseURL) throw new TunedModelError('a compatible endpoint needs its base URL (e.g. http://localhost:8000/v1)');
  if (tuned.endpoint === 'azure' && !tuned.deployment) throw new TunedModelError('an Azure endpoint needs the deployment name');
  const value: TunedModel = { ...tuned, source: tuned.source ?? 'manual', recordedAt: new Date().toISOString() };
  await fs.promises.mkdir(path.join(dir, STATE_DIR), { recursive: true });
  await writeFileAtomic(path.join(dir, TUNED_FILE), `${JSON.stringify(value, null, 2)}\n`);
  return value;
}

/**
 * Where the tuned model is served: its own compatible server or Azure resource (the key from the variable it
 * names), else the base model's provider itself (an OpenAI fine-tune lives next to its base).
 */
export function tunedProviderOf(tuned: TunedModel, base: ProviderConfig, env: NodeJS.ProcessEnv = process.env): ProviderConfig {
  const key = (tuned.apiKeyEnv && env[tuned.apiKeyEnv]) || undefined;
  if (tuned.endpoint === 'compatible' && tuned.baseURL) return { kind: 'openai', apiKey: key ?? 'not-needed', baseURL: tuned.baseURL };
  if (tuned.endpoint === 'azure' && tuned.baseURL) {
    return {
      kind: 'azure',
      apiKey: key ?? (base.kind === 'azure' ? base.apiKey : (env.AZURE_OPENAI_API_KEY ?? '')),
      endpoint: tuned.baseURL,
      apiVersion: tuned.apiVersion ?? (base.kind === 'azure' ? base.apiVersion : '2025-04-01-preview'),
      deployment: tuned.deployment,
    };
  }
  return base;
}

/** tuned.json when recorded, else the newest succeeded job's result model, else undefined. */
export async function readTunedModel(dir: string): Promise<TunedModel | undefined> {
  const recorded = await readJsonObject(path.join(dir, TUNED_FILE));
  if (recorded && typeof recorded.model === 'string' && isEndpoint(recorded.endpoint)) return recorded as unknown as TunedModel;
  return newestJobModel(dir);
}

/** The newest job (by file name, which starts with its launch time) that succeeded with a result model. */
export async function newestJobModel(dir: string): Promise<TunedModel | undefined> {
  let names: string[];
  try {
    names = (await fs.promises.readdir(path.join(dir, JOBS)))
      .filter((name) => name.endsWith('.json'))
      .sort()
      .reverse();
  } catch {
    return undefined;
  }
  for (const name of names) {
    const job = await readJsonObject(path.join(dir, JOBS, name)).catch(() => undefined);
    if (!job || job.status !== 'succeeded') continue;
    const model = [job.resultModel, job.fine_tuned_model].find((value): value is string => typeof value === 'string' && value.length > 0);
    if (!model) continue;
    const endpoint: EndpointKind = job.backend === 'azure' ? 'azure' : job.backend === 'openai' ? 'openai' : 'compatible';
    return {
      model,
      endpoint,
      ...(typeof job.model === 'string' ? { baseModel: job.model } : {}),
      source: 'job',
      jobId: typeof job.id === 'string' ? job.id : name.replace(/\.json$/, ''),
      recordedAt: typeof job.updatedAt === 'string' ? job.updatedAt : '',
    };
  }
  return undefined;
}

const isEndpoint = (value: unknown): value is EndpointKind => value === 'openai' || value === 'azure' || value === 'compatible';

async function readJsonObject(file: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const value: unknown = JSON.parse(text);
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
