import { langfuseAdapter } from './adapters/langfuse';
import type { CallSource } from './extract';
import type { TraceFilters } from './filters';

export interface LangfuseConnection {
  /** e.g. https://cloud.langfuse.com or a self-hosted URL. */
  readonly baseUrl: string;
  readonly publicKey: string;
  readonly secretKey: string;
}

/** Where Langfuse's SDKs send data when nothing else is set (langfuse-python, langfuse-js). */
export const LANGFUSE_CLOUD_URL = 'https://cloud.langfuse.com';

/**
 * The Langfuse host as the SDKs pick it: an explicit URL, then LANGFUSE_BASE_URL (both SDKs), then
 * LANGFUSE_HOST (langfuse-python's older name) or LANGFUSE_BASEURL (langfuse-js v2's), then Langfuse Cloud.
 */
export function langfuseBaseUrl(env: NodeJS.ProcessEnv, explicit?: string): string {
  const chosen = [explicit, env.LANGFUSE_BASE_URL, env.LANGFUSE_HOST, env.LANGFUSE_BASEURL].find((value) => value !== undefined && value.trim() !== '');
  return (chosen ?? LANGFUSE_CLOUD_URL).trim().replace(/\/+$/, '');
}

/** LANGFUSE_PUBLIC_KEY / LANGFUSE_SECRET_KEY and the host, as Langfuse's own SDKs read them; undefined without both keys. */
export function langfuseFromEnv(env: NodeJS.ProcessEnv, baseUrl?: string): LangfuseConnection | undefined {
  if (!env.LANGFUSE_PUBLIC_KEY || !env.LANGFUSE_SECRET_KEY) return undefined;
  return { baseUrl: langfuseBaseUrl(env, baseUrl), publicKey: env.LANGFUSE_PUBLIC_KEY, secretKey: env.LANGFUSE_SECRET_KEY };
}

export const OBSERVATIONS_V2_PATH = '/api/public/v2/observations';
export const OBSERVATIONS_V1_PATH = '/api/public/observations';

/**
 * The v2 field groups read: what the adapter uses (name, level, status, environment, user and session from
 * `basic`; the model name from `model`; token and cost sums from `usage`; the prompt name from `prompt`).
 */
export const V2_FIELDS = 'core,basic,io,model,metadata,usage,prompt';
const PAGE_SIZE = 100; // v1 allows at most 100; v2 up to 1000, but pages carry whole prompts and answers

export interface LangfuseReadOptions {
  readonly fetch?: typeof fetch;
  /** Told once, when the server has no v2 observations API and the legacy v1 one is read instead. */
  readonly onNotice?: (message: string) => void;
}

/**
 * Langfuse generations from its public API, each page through the Langfuse adapter, the time range applied by
 * the server. Reads `GET /api/public/v2/observations` (cursor paging; the only one on Langfuse Cloud since
 * 2026-11-16 and on self-hosted v4); a server without it (self-hosted v3: 404, or 501 on its releases of early
 * 2026) is read through `GET /api/public/observations` (page paging) instead. Which one a server has is learnt
 * on the first read and kept for later ones.
 */
export function langfuseReader(connection: LangfuseConnection, options: LangfuseReadOptions = {}): (filters: TraceFilters) => CallSource {
  const fetchImpl = options.fetch ?? fetch;
  const get = (pathname: string, params: Record<string, string | undefined>, signal?: AbortSignal) => {
    const url = new URL(`${connection.baseUrl}${pathname}`);
    for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
    const auth = `Basic ${Buffer.from(`${connection.publicKey}:${connection.secretKey}`).toString('base64')}`;
    return fetchImpl(url, { headers: { authorization: auth, accept: 'application/json' }, signal });
  };
  let api: 'v2' | 'v1' | undefined;
  return (filters) => async (sink, signal) => {
    const range = { type: 'GENERATION', fromStartTime: filters.since, toStartTime: filters.until };
    const deliver = (data: unknown[], at: string) => {
      const { calls, skips } = langfuseAdapter.read({ data }, at);
      for (const skip of skips) sink.skip(skip);
      for (const call of calls) sink.call(call);
    };
    if (api !== 'v1') {
      let cursor: string | undefined;
      for (let page = 1; ; page++) {
        const response = await get(OBSERVATIONS_V2_PATH, { ...range, fields: V2_FIELDS, limit: String(PAGE_SIZE), cursor }, signal);
        if (page === 1 && api === undefined && lacksV2(response.status)) {
          api = 'v1';
          options.onNotice?.(
            `Langfuse at ${connection.baseUrl} has no v2 observations API (${OBSERVATIONS_V2_PATH} answered ${response.status}${await errorDetail(response)}): reading the legacy ${OBSERVATIONS_V1_PATH} instead, as on a self-hosted Langfuse v3.`,
          );
          break;
        }
        const body = await okJson(response, OBSERVATIONS_V2_PATH, connection);
        api = 'v2';
        deliver((body.data ?? []).map(asV1Io), `v2 page ${page}`);
        const next = typeof body.meta?.cursor === 'string' && body.meta.cursor !== '' ? body.meta.cursor : undefined;
        if (!next || !body.data?.length) return;
        if (next === cursor) throw new Error(`Langfuse ${OBSERVATIONS_V2_PATH} gave the same cursor twice (page ${page}); stopped rather than read the same page again`);
        cursor = next;
      }
    }
    for (let page = 1; ; page++) {
      const response = await get(OBSERVATIONS_V1_PATH, { ...range, page: String(page), limit: String(PAGE_SIZE) }, signal);
      if (response.status === 404 && page === 1) {
        throw new Error(
          `Langfuse at ${connection.baseUrl} answered 404 to both ${OBSERVATIONS_V2_PATH} and ${OBSERVATIONS_V1_PATH}${await errorDetail(response)}: is the base URL the Langfuse host (e.g. ${LANGFUSE_CLOUD_URL}), without a path?`,
        );
      }
      const body = await okJson(response, OBSERVATIONS_V1_PATH, connection);
      deliver(body.data ?? [], `page ${page}`);
      if (!body.data?.length || page >= (body.meta?.totalPages ?? page)) return;
    }
  };
}

/** One read with its filters: see `langfuseReader`. */
export function langfuseApiCalls(connection: LangfuseConnection, filters: TraceFilters, options: LangfuseReadOptions = {}): CallSource {
  return langfuseReader(connection, options)(filters);
}

/**
 * 404: no v2 route (servers before it) or v2 not enabled (self-hosted v3); 501: how v3 said the latter from
 * 2025-12-22 to 2026-03-16. Never 401/403 (wrong keys stay wrong on v1) nor any other 5xx (an outage).
 */
function lacksV2(status: number): boolean {
  return status === 404 || status === 501;
}

type Page = { data?: unknown[]; meta?: { cursor?: unknown; totalPages?: number } };

async function okJson(response: Response, pathname: string, connection: LangfuseConnection): Promise<Page> {
  if (response.ok) return (await response.json()) as Page;
  const detail = await errorDetail(response);
  if (response.status === 401 || response.status === 403) {
    throw new Error(
      `Langfuse at ${connection.baseUrl} refused the keys (${pathname} answered ${response.status}${detail}): check LANGFUSE_PUBLIC_KEY, LANGFUSE_SECRET_KEY and that the host is the project's region`,
    );
  }
  throw new Error(`Langfuse ${pathname} answered ${response.status}${detail}`);
}

async function errorDetail(response: Response): Promise<string> {
  const text = (await response.text().catch(() => '')).trim();
  if (!text) return '';
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    if (typeof message === 'string') return `: ${message.split('\n')[0]}`;
  } catch {
    // not JSON: a proxy's or framework's page
  }
  return text.startsWith('<') ? '' : `: ${text.split('\n')[0].slice(0, 200)}`;
}

/**
 * v2 returns input and output as the stored text (`parseIoAsJson=true` is refused since 2026-02-18); v1 parsed
 * them: JSON where the text parses, else the text (Langfuse's parseJsonPrioritised). Doing the same here gives
 * the adapter what v1 gave it.
 */
function asV1Io(observation: unknown): unknown {
  if (typeof observation !== 'object' || observation === null) return observation;
  const row = { ...(observation as Record<string, unknown>) };
  for (const key of ['input', 'output']) if (typeof row[key] === 'string') row[key] = parsedText(row[key] as string);
  return row;
}

function parsedText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
