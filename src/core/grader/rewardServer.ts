// `rft grader serve` (docs/grader.md §Reward server): the dataset's grader as an HTTP reward endpoint for TRL and verl, which call it
// for the kinds that do not compile to Python (js graders, judges). POST /score {"items":[{"item","sample"}]} →
// {"rewards":[..],"errors":[..]}; scoring is concurrent and bounded; loopback only unless a token guards it.
import { timingSafeEqual } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Semaphore } from '../llm/semaphore';
import type { GradingEngine } from './engine';
import { firstErrorText } from './gradeResult';
import type { Grader } from './graderSchema';
import { platformSample, responseFormatFor } from './responseFormat';
import { toSample, type GradingPair } from './sample';

export interface RewardServerOptions {
  readonly grader: Grader;
  readonly engine: GradingEngine;
  readonly host?: string;
  readonly port?: number;
  /** Required to bind beyond loopback; clients send `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Pairs scored at once (default 16). */
  readonly concurrency?: number;
  /** Most pairs in one request (default 4096). */
  readonly maxBatch?: number;
  /** Largest request body (default 64 MiB). */
  readonly maxBodyBytes?: number;
  /** The dataset's settings.train.responseFormat: output_json is kept only where a response format applies (it or the item's). */
  readonly datasetResponseFormat?: Record<string, unknown>;
}

export interface RewardServer {
  readonly url: string;
  /**
   * Stops accepting, aborts the scorings in flight, answers their requests 503 and closes every connection;
   * resolves within about a second whatever the graders and judges are doing.
   */
  close(): Promise<void>;
}

/** How long an oversized body is read on (and thrown away) after its 413, so the client sees the answer. */
const DRAIN_LIMIT_MS = 10_000;
/** How long close() lets the 503 answers reach their clients before it cuts the connections. */
const CLOSE_GRACE_MS = 1000;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export class RewardServerError extends Error {}

export async function startRewardServer(options: RewardServerOptions): Promise<RewardServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host) && !options.token) throw new RewardServerError(`refusing to serve rewards on ${host} without --token: anyone who reaches it could run your graders and judges at your cost`);
  const semaphore = new Semaphore(options.concurrency ?? 16);
  const shutdown = new AbortController();
  setMaxListeners(0, shutdown.signal); // every scoring in flight listens
  const open = new Set<Promise<void>>();
  const server = http.createServer((request, response) => {
    const answered = handle(request, options, semaphore, shutdown.signal).then(
      ({ status, body }) => reply(response, status, body),
      (error: Error) => reply(response, 500, { error: error.message }),
    );
    open.add(answered);
    void answered.finally(() => open.delete(answered));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8787, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      shutdown.abort(new ShuttingDown());
      await Promise.race([Promise.allSettled([...open]), delay(CLOSE_GRACE_MS)]);
      server.closeAllConnections();
      await closed;
    },
  };
}

class ShuttingDown extends Error {
  constructor() {
    super('the reward server is shutting down; this request was not scored');
  }
}

class BodyTooLarge extends Error {}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Settles with `work`, or rejects with the signal's reason as soon as it aborts (the work is left to stop on its own). */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function handle(request: http.IncomingMessage, options: RewardServerOptions, semaphore: Semaphore, shutdown: AbortSignal): Promise<{ status: number; body: unknown }> {
  if (options.token && !authorized(request.headers.authorization, options.token)) return { status: 401, body: { error: 'missing or wrong bearer token' } };
  const url = new URL(request.url ?? '/', 'http://reward.server');
  if (request.method === 'GET' && url.pathname === '/health') return { status: 200, body: { ok: true, grader: options.grader.name, type: options.grader.type } };
  if (url.pathname !== '/score') return { status: 404, body: { error: 'POST /score {"items":[{"item":{..},"sample":{..}}]}' } };
  if (request.method !== 'POST') return { status: 405, body: { error: 'use POST /score' } };
  let pairs: GradingPair[];
  try {
    pairs = parsePairs(await readBody(request, options.maxBodyBytes ?? 64 * 1024 * 1024), options.maxBatch ?? 4096, options.datasetResponseFormat);
  } catch (error) {
    return { status: error instanceof BodyTooLarge ? 413 : 400, body: { error: (error as Error).message } };
  }
  try {
    const scoring = Promise.all(pairs.map((pair) => semaphore.run(() => options.engine.grade(options.grader, pair, shutdown), shutdown)));
    scoring.catch(() => undefined); // after a shutdown its rejections have no one waiting
    const results = await unlessAborted(scoring, shutdown);
    return { status: 200, body: { rewards: results.map((result) => result.reward), errors: results.map(firstErrorText) } };
  } catch (error) {
    if (shutdown.aborted) return { status: 503, body: { error: (shutdown.reason as Error).message } };
    throw error;
  }
}

function parsePairs(text: string, maxBatch: number, datasetFormat: Record<string, unknown> | undefined): GradingPair[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new Error(`the body is not JSON: ${(error as Error).message}`);
  }
  const items = (body as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) throw new Error('expected {"items":[{"item":{..},"sample":{..}}]}');
  if (items.length > maxBatch) throw new Error(`${items.length} items in one request; at most ${maxBatch}`);
  return items.map((entry, index) => {
    const { item, sample } = (entry ?? {}) as { item?: unknown; sample?: unknown };
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw new Error(`items[${index}].item: expected an object`);
    if (typeof sample !== 'string' && (!sample || typeof sample !== 'object')) throw new Error(`items[${index}].sample: expected {"output_text": ..} or a string`);
    // as the platform and the dry run grade it: output_json only where a response format applies
    return { item: item as GradingPair['item'], sample: platformSample(toSample(sample as string), responseFormatFor(item as Record<string, unknown>, datasetFormat)) };
  });
}

/**
 * The body as text, or BodyTooLarge past `limit`: a content-length over it is refused before reading; a body that
 * grows past it is read on and thrown away, since destroying the socket mid-upload shows the client a reset
 * instead of the 413.
 */
function readBody(request: http.IncomingMessage, limit: number): Promise<string> {
  const tooLarge = () => new BodyTooLarge(`the body is over ${limit} bytes (${Math.floor(limit / 1024 / 1024)} MiB); send fewer items per request`);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    if (Number(request.headers['content-length']) > limit) {
      request.resume();
      reject(tooLarge());
      return;
    }
    request.on('data', (chunk: Buffer) => {
      const wasOver = size > limit;
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (!wasOver) {
        chunks.length = 0;
        reject(tooLarge());
        // a client that never stops sending is cut off in the end
        const cutOff = setTimeout(() => request.destroy(), DRAIN_LIMIT_MS).unref();
        request.once('end', () => clearTimeout(cutOff));
      }
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function authorized(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

function reply(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
