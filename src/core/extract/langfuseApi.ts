import { langfuseAdapter } from './adapters/langfuse';
import type { CallSource } from './extract';
import type { TraceFilters } from './filters';

export interface LangfuseConnection {
  /** e.g. https://cloud.langfuse.com or a self-hosted URL. */
  readonly baseUrl: string;
  readonly publicKey: string;
  readonly secretKey: string;
}

/** LANGFUSE_PUBLIC_KEY / LANGFUSE_SECRET_KEY / LANGFUSE_HOST, as Langfuse's own SDKs read them. */
export function langfuseFromEnv(env: NodeJS.ProcessEnv, baseUrl?: string): LangfuseConnection | undefined {
  const host = baseUrl ?? env.LANGFUSE_HOST ?? env.LANGFUSE_BASEURL;
  if (!host || !env.LANGFUSE_PUBLIC_KEY || !env.LANGFUSE_SECRET_KEY) return undefined;
  return { baseUrl: host.replace(/\/+$/, ''), publicKey: env.LANGFUSE_PUBLIC_KEY, secretKey: env.LANGFUSE_SECRET_KEY };
}

/**
 * Langfuse generations from its public API (`GET /api/public/observations?type=GENERATION`, basic auth),
 * page by page, with the time range applied by the server; each page goes through the Langfuse adapter.
 */
export function langfuseApiCalls(connection: LangfuseConnection, filters: TraceFilters, fetchImpl: typeof fetch = fetch): CallSource {
  const auth = `Basic ${Buffer.from(`${connection.publicKey}:${connection.secretKey}`).toString('base64')}`;
  return async (sink, signal) => {
    for (let page = 1; ; page++) {
      const url = new URL(`${connection.baseUrl}/api/public/observations`);
      url.searchParams.set('type', 'GENERATION');
      url.searchParams.set('page', String(page));
      url.searchParams.set('limit', '100');
      if (filters.since) url.searchParams.set('fromStartTime', filters.since);
      if (filters.until) url.searchParams.set('toStartTime', filters.until);
      const response = await fetchImpl(url, { headers: { authorization: auth, accept: 'application/json' }, signal });
      if (!response.ok) throw new Error(`Langfuse ${url.pathname} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
      const body = (await response.json()) as { data?: unknown[]; meta?: { totalPages?: number } };
      const { calls, skips } = langfuseAdapter.read({ data: body.data ?? [] }, `page ${page}`);
      for (const skip of skips) sink.skip(skip);
      for (const call of calls) sink.call(call);
      if (!body.data?.length || page >= (body.meta?.totalPages ?? page)) return;
    }
  };
}
