// A protocol-faithful stand-in for Langfuse's observation reads, built from test/fixtures/vendor/langfuse/ (see its
// PROVENANCE.md): `GET /api/public/v2/observations` (field groups, cursor paging, IO as the stored strings,
// `parseIoAsJson=true` refused with 400, metadata cut to 200 characters without `io`) and the legacy
// `GET /api/public/observations` (page/limit, IO parsed, v1's backwards-compatible token and cost fields).
// `deployment` picks which server it is: Cloud on v4 (v1 answers 404 before the keys are checked), a self-hosted v3
// (v2 answers 404 after the keys are checked, or 501 on the v3 releases of 2025-12-22 to 2026-03-16), or one older
// than the v2 route (a plain 404 page). Keys are basic auth, public key as user, secret key as password.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

const CONTRACT = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../fixtures/vendor/langfuse/api_contract.json'), 'utf8')) as LangfuseContract;

interface ErrorAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export interface LangfuseContract {
  readonly v2: {
    path: string;
    defaultFields: string[];
    fieldGroups: Record<string, string[]>;
    alwaysPresent: string[];
    limit: { default: number; max: number };
    cursorKeys: string[];
    metadataValueCutoff: number;
  };
  readonly v1: { path: string; limit: { default: number; max: number }; observationKeys: string[]; metaKeys: string[]; deprecationOnCloud: Record<string, string> };
  readonly errors: Record<'noAuthorization' | 'invalidCredentials' | 'parseIoAsJsonTrue' | 'invalidCursor' | 'v2NotEnabledSelfHosted' | 'v2BetaSelfHosted501' | 'v1EventsOnly', ErrorAnswer>;
}

export const LANGFUSE_CONTRACT: LangfuseContract = CONTRACT;

export type LangfuseDeployment =
  /** Langfuse Cloud since 2026-11-16 (and self-hosted v4): v2 only. */
  | 'cloud-v4'
  /** Self-hosted Langfuse v3 since 2026-03-16: the v2 route exists but answers 404 LangfuseNotFoundError. */
  | 'self-hosted-v3'
  /** Self-hosted Langfuse v3 from 2025-12-22 to 2026-03-16: v2 answers 501 NotImplementedError. */
  | 'self-hosted-v3-beta'
  /** Self-hosted Langfuse older than the v2 route (2025-11-19): no such route, Next.js's 404 page. */
  | 'self-hosted-before-v2';

/** One observation as Langfuse stores it (the events row, in the API's camelCase): IO and metadata values are stored text. */
export interface StoredObservation {
  readonly id: string;
  readonly traceId: string;
  readonly type: string;
  readonly startTime: string;
  readonly endTime?: string | null;
  readonly completionStartTime?: string | null;
  readonly parentObservationId?: string | null;
  readonly name?: string | null;
  readonly level?: 'DEBUG' | 'DEFAULT' | 'WARNING' | 'ERROR';
  readonly statusMessage?: string | null;
  readonly version?: string | null;
  readonly environment?: string;
  readonly input?: string | null;
  readonly output?: string | null;
  readonly metadata?: Record<string, string>;
  readonly model?: string | null;
  readonly internalModelId?: string | null;
  readonly modelParameters?: unknown;
  readonly usageDetails?: Record<string, number>;
  readonly costDetails?: Record<string, number>;
  readonly usagePricingTierId?: string | null;
  readonly usagePricingTierName?: string | null;
  readonly promptId?: string | null;
  readonly promptName?: string | null;
  readonly promptVersion?: number | null;
  readonly userId?: string | null;
  readonly sessionId?: string | null;
  readonly traceName?: string | null;
  readonly tags?: string[];
  readonly release?: string | null;
  readonly bookmarked?: boolean;
  readonly public?: boolean;
  /** The matched model's prices (Langfuse's model table), for `modelId` / `inputPrice` … */
  readonly prices?: { readonly input?: number; readonly output?: number; readonly total?: number };
}

export interface LangfuseRequest {
  readonly path: string;
  readonly query: Record<string, string>;
  readonly authorization?: string;
}

type Row = Record<string, unknown>;

class Refusal extends Error {
  constructor(readonly answer: ErrorAnswer) {
    super(String(answer.body.message));
  }
}

export class LangfuseServer {
  deployment: LangfuseDeployment;
  /** When set, v2 answers this status (a 5xx outage) after the keys are checked. */
  v2Outage?: number;
  readonly observations: StoredObservation[];
  readonly requests: LangfuseRequest[] = [];
  readonly projectId = 'project-rft-test';

  private constructor(
    private readonly server: http.Server,
    readonly publicKey: string,
    readonly secretKey: string,
    options: { deployment: LangfuseDeployment; observations: StoredObservation[] },
  ) {
    this.deployment = options.deployment;
    this.observations = options.observations;
  }

  static async start(options: { deployment?: LangfuseDeployment; observations?: StoredObservation[]; publicKey?: string; secretKey?: string } = {}): Promise<LangfuseServer> {
    const server = http.createServer();
    const langfuse = new LangfuseServer(server, options.publicKey ?? 'pk-lf-test', options.secretKey ?? 'sk-lf-test', {
      deployment: options.deployment ?? 'cloud-v4',
      observations: [...(options.observations ?? [])],
    });
    server.on('request', (request, response) => langfuse.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return langfuse;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The requests to one path, oldest first. */
  requestsTo(pathname: string): LangfuseRequest[] {
    return this.requests.filter((request) => request.path === pathname);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://langfuse.invalid');
    this.requests.push({ path: url.pathname, query: Object.fromEntries(url.searchParams), ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}) });
    try {
      if (request.method !== 'GET') return notFoundPage(response);
      if (url.pathname === CONTRACT.v1.path) return sendJson(response, 200, this.v1(request, url.searchParams));
      if (url.pathname === CONTRACT.v2.path) return sendJson(response, 200, this.v2(request, url.searchParams));
      return notFoundPage(response);
    } catch (error) {
      if (error instanceof Refusal) return sendJson(response, error.answer.status, error.answer.body);
      if (error instanceof NotFoundPage) return notFoundPage(response);
      throw error;
    }
  }

  private checkKeys(request: http.IncomingMessage): void {
    const header = request.headers.authorization;
    if (!header) throw new Refusal(CONTRACT.errors.noAuthorization);
    if (header.startsWith('Bearer ') && header.slice(7) === this.publicKey) throw new Refusal({ status: 403, body: { message: 'Access denied - insufficient permissions for this endpoint' } });
    if (header !== `Basic ${Buffer.from(`${this.publicKey}:${this.secretKey}`).toString('base64')}`) throw new Refusal(CONTRACT.errors.invalidCredentials);
  }

  // GET /api/public/observations: removed in v4 events_only mode before the keys are even looked at.
  private v1(request: http.IncomingMessage, query: URLSearchParams): unknown {
    if (this.deployment === 'cloud-v4') throw new Refusal({ status: 404, body: { ...CONTRACT.errors.v1EventsOnly.body, _deprecation: CONTRACT.v1.deprecationOnCloud } });
    this.checkKeys(request);
    const page = integerParam(query, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
    const limit = integerParam(query, 'limit', CONTRACT.v1.limit.default, 1, CONTRACT.v1.limit.max);
    const matching = this.matching(query);
    return {
      data: matching.slice((page - 1) * limit, page * limit).map(v1Observation(this.projectId)),
      meta: { page, limit, totalItems: matching.length, totalPages: Math.ceil(matching.length / limit) },
    };
  }

  // GET /api/public/v2/observations: keys, then the query (400s), then whether this server serves v2 at all.
  private v2(request: http.IncomingMessage, query: URLSearchParams): unknown {
    if (this.deployment === 'self-hosted-before-v2') throw new NotFoundPage();
    this.checkKeys(request);
    if (query.get('parseIoAsJson') === 'true') throw new Refusal(CONTRACT.errors.parseIoAsJsonTrue);
    const limit = integerParam(query, 'limit', CONTRACT.v2.limit.default, 0, CONTRACT.v2.limit.max);
    const cursor = query.has('cursor') ? decodeCursor(query.get('cursor') ?? '') : undefined;
    if (this.deployment === 'self-hosted-v3') throw new Refusal(CONTRACT.errors.v2NotEnabledSelfHosted);
    if (this.deployment === 'self-hosted-v3-beta') throw new Refusal(CONTRACT.errors.v2BetaSelfHosted501);
    if (this.v2Outage) throw new Refusal({ status: this.v2Outage, body: { message: 'Internal Server Error', error: 'An unknown error occurred' } });
    const groups = fieldGroups(query.get('fields'));
    const expandMetadata = (query.get('expandMetadata') ?? '').split(',').some((key) => key.trim() !== '');
    const after = cursor ? this.matching(query).filter((o) => compareRows(o, cursor) > 0) : this.matching(query);
    const page = after.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map((o) => v2Observation(o, this.projectId, groups, { cutMetadata: !groups.has('io') && !expandMetadata })),
      meta: after.length > limit && last ? { cursor: encodeCursor(last) } : {},
    };
  }

  /** The rows a query selects (type, start-time range), in the order Langfuse returns them: newest first. */
  private matching(query: URLSearchParams): StoredObservation[] {
    const type = query.get('type');
    const from = query.get('fromStartTime');
    const to = query.get('toStartTime');
    return this.observations
      .filter((o) => (!type || o.type === type) && (!from || Date.parse(o.startTime) >= Date.parse(from)) && (!to || Date.parse(o.startTime) < Date.parse(to)))
      .sort((a, b) => compareRows(a, { startTime: b.startTime, traceId: b.traceId, id: b.id }));
  }
}

class NotFoundPage extends Error {}

/** Sort key of Langfuse's order (start time, then trace, then id, all descending); the stand-in compares trace ids as text, not by xxHash32. */
function compareRows(row: Pick<StoredObservation, 'startTime' | 'traceId' | 'id'>, other: { startTime: string; traceId: string; id: string }): number {
  const time = Date.parse(other.startTime) - Date.parse(row.startTime);
  if (time !== 0) return time;
  return other.traceId.localeCompare(row.traceId) || other.id.localeCompare(row.id);
}

function encodeCursor(row: StoredObservation): string {
  return Buffer.from(JSON.stringify({ lastStartTimeTo: new Date(row.startTime).toISOString(), lastTraceId: row.traceId, lastId: row.id })).toString('base64');
}

function decodeCursor(text: string): { startTime: string; traceId: string; id: string } {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as Record<string, unknown>;
    if (typeof cursor.lastTraceId === 'string' && typeof cursor.lastId === 'string' && !Number.isNaN(Date.parse(String(cursor.lastStartTimeTo)))) {
      return { startTime: String(cursor.lastStartTimeTo), traceId: cursor.lastTraceId, id: cursor.lastId };
    }
  } catch {
    // falls through to Langfuse's answer
  }
  throw new Refusal(CONTRACT.errors.invalidCursor);
}

function integerParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Refusal({
      status: 400,
      body: { message: 'Invalid request data', error: [{ code: value > max ? 'too_big' : 'invalid_type', path: [name], message: `${name} must be an integer from ${min} to ${max}` }] },
    });
  }
  return value;
}

/** `fields=a,b`: unknown names are dropped (Langfuse filters them), core is always in, core+basic when absent. */
function fieldGroups(text: string | null): Set<string> {
  const known = Object.keys(CONTRACT.v2.fieldGroups);
  const asked =
    text === null
      ? CONTRACT.v2.defaultFields
      : text
          .split(',')
          .map((group) => group.trim())
          .filter((group) => known.includes(group));
  return new Set(['core', ...asked]);
}

/** Langfuse's reduceUsageOrCostDetails: input/output sum every key containing the word (null without any), total is `total` or 0. */
function reduced(details: Record<string, number> | undefined): { input: number | null; output: number | null; total: number } {
  const sum = (word: string) =>
    Object.entries(details ?? {})
      .filter(([key]) => key.includes(word))
      .reduce<number | null>((acc, [, value]) => (acc ?? 0) + Number(value), null);
  return { input: sum('input'), output: sum('output'), total: Number(details?.total ?? 0) };
}

/** Langfuse's parseJsonPrioritised: JSON where the text parses, else the text itself. */
function parsedText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function seconds(from: string | null | undefined, to: string | null | undefined): number | null {
  return from && to ? (Date.parse(to) - Date.parse(from)) / 1000 : null;
}

function metadataOf(o: StoredObservation, cut: boolean): Record<string, unknown> {
  const cutoff = CONTRACT.v2.metadataValueCutoff;
  return Object.fromEntries(Object.entries(o.metadata ?? {}).map(([key, value]) => [key, parsedText(cut ? value.slice(0, cutoff) : value)]));
}

function priced(o: StoredObservation): boolean {
  return Boolean(o.internalModelId && o.prices);
}

function iso(time: string | null | undefined): string | null {
  return time ? new Date(time).toISOString() : null;
}

/** One row of v2: core always, each requested group's keys, and the always-present enrichment fields. */
function v2Observation(o: StoredObservation, projectId: string, groups: Set<string>, options: { cutMetadata: boolean }): Row {
  const usage = reduced(o.usageDetails);
  const cost = reduced(o.costDetails);
  const byGroup: Record<string, Row> = {
    core: { id: o.id, traceId: o.traceId, startTime: iso(o.startTime), endTime: iso(o.endTime), projectId, parentObservationId: o.parentObservationId ?? null, type: o.type },
    basic: {
      name: o.name ?? null,
      level: o.level ?? 'DEFAULT',
      statusMessage: o.statusMessage ?? null,
      version: o.version ?? null,
      environment: o.environment ?? 'default',
      bookmarked: o.bookmarked ?? false,
      public: o.public ?? false,
      userId: o.userId ?? null,
      sessionId: o.sessionId ?? null,
      isRootObservation: !o.parentObservationId,
    },
    time: { completionStartTime: iso(o.completionStartTime), createdAt: iso(o.startTime), updatedAt: iso(o.endTime ?? o.startTime) },
    io: { input: o.input || null, output: o.output || null },
    metadata: { metadata: metadataOf(o, options.cutMetadata) },
    model: { model: o.model ?? null, internalModelId: o.internalModelId ?? null, modelParameters: o.modelParameters ?? null },
    usage: {
      usageDetails: { ...o.usageDetails },
      inputUsage: usage.input ?? 0,
      outputUsage: usage.output ?? 0,
      totalUsage: usage.total,
      costDetails: { ...o.costDetails },
      inputCost: cost.input,
      outputCost: cost.output,
      totalCost: cost.total,
      usagePricingTierId: o.usagePricingTierId ?? null,
      usagePricingTierName: o.usagePricingTierName ?? null,
    },
    prompt: { promptId: o.promptId ?? null, promptName: o.promptName ?? null, promptVersion: o.promptVersion ?? null },
    metrics: {},
    trace_context: { tags: o.tags ?? [], release: o.release ?? null, traceName: o.traceName ?? null },
  };
  const row: Row = {};
  for (const group of groups) Object.assign(row, byGroup[group]);
  const withModel = groups.has('model') && priced(o);
  const price = (value: number | undefined) => (withModel && value !== undefined ? String(value) : null);
  return {
    ...row,
    latency: seconds(o.startTime, o.endTime),
    timeToFirstToken: groups.has('time') || groups.has('metrics') ? seconds(o.startTime, o.completionStartTime) : null,
    modelId: withModel ? o.internalModelId : null,
    inputPrice: price(o.prices?.input),
    outputPrice: price(o.prices?.output),
    totalPrice: price(o.prices?.total),
  };
}

/** One row of v1 (transformDbToApiObservation): every field, IO parsed, token and cost sums, no user/session/trace fields. */
function v1Observation(projectId: string): (o: StoredObservation) => Row {
  return (o) => {
    const usage = reduced(o.usageDetails);
    const cost = reduced(o.costDetails);
    const promptTokens = usage.input ?? 0;
    const completionTokens = usage.output ?? 0;
    return {
      id: o.id,
      projectId,
      traceId: o.traceId,
      parentObservationId: o.parentObservationId ?? null,
      name: o.name ?? null,
      type: o.type,
      environment: o.environment ?? 'default',
      startTime: iso(o.startTime),
      endTime: iso(o.endTime),
      version: o.version ?? null,
      createdAt: iso(o.startTime),
      updatedAt: iso(o.endTime ?? o.startTime),
      input: o.input ? parsedText(o.input) : null,
      output: o.output ? parsedText(o.output) : null,
      metadata: metadataOf(o, false),
      level: o.level ?? 'DEFAULT',
      statusMessage: o.statusMessage ?? null,
      model: o.model ?? null,
      modelParameters: o.modelParameters ?? null,
      completionStartTime: iso(o.completionStartTime),
      promptId: o.promptId ?? null,
      promptName: o.promptName ?? null,
      promptVersion: o.promptVersion ?? null,
      usageDetails: { ...o.usageDetails },
      costDetails: { ...o.costDetails },
      usage: { unit: 'TOKENS', input: promptTokens, output: completionTokens, total: usage.total },
      unit: 'TOKENS',
      promptTokens,
      completionTokens,
      totalTokens: usage.total,
      usagePricingTierName: o.usagePricingTierName ?? null,
      usagePricingTierId: o.usagePricingTierId ?? null,
      modelId: priced(o) ? o.internalModelId : null,
      inputPrice: priced(o) ? (o.prices?.input ?? null) : null,
      outputPrice: priced(o) ? (o.prices?.output ?? null) : null,
      totalPrice: priced(o) ? (o.prices?.total ?? null) : null,
      calculatedInputCost: cost.input,
      calculatedOutputCost: cost.output,
      calculatedTotalCost: cost.total,
      latency: seconds(o.startTime, o.endTime),
      timeToFirstToken: seconds(o.startTime, o.completionStartTime),
    };
  };
}

function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

/** What Next.js serves for a route it does not have. */
function notFoundPage(response: http.ServerResponse): void {
  response
    .writeHead(404, { 'content-type': 'text/html; charset=utf-8' })
    .end('<!DOCTYPE html><html><head><title>404: This page could not be found</title></head><body><h1>404</h1><h2>This page could not be found.</h2></body></html>');
}
