import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { AzureFrontDoorError, authorizeAzure, azurePath, checkApiVersion, checkAzureSurface } from './azure';
import { batchRoutes } from './batches';
import { chatRoutes, type ChatHandler } from './chat';
import type { ServerContext } from './context';
import { embeddingRoutes, embedText } from './embeddings';
import { ApiError, errorForStatus, invalidRequest } from './errors';
import { FaultQueue, type Fault, type FaultMatch } from './faults';
import { fileRoutes } from './files';
import { fineTuningRoutes } from './fineTuning';
import { graderRoutes } from './graders';
import { json, parseBody, readRequestBody, sendReply, type ParsedBody, type Reply } from './http';
import { Router } from './routing';
import { OpenAiTestServerState } from './state';
import { isRecord } from './validation';
import { storedCompletionRoutes } from './storedCompletions';

export interface OpenAiTestServerOptions {
  /** Delay before every response, in milliseconds. */
  readonly latencyMs?: number;
  readonly apiKey?: string;
}

export interface LoggedRequest {
  readonly method: string;
  /** The full path, e.g. `/v1/chat/completions`, without the query. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** The parsed JSON body; for uploads the form fields, with each file as `{ filename, bytes }`. */
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
  /** When the request arrived (ms since the epoch). */
  readonly at: number;
  /** Azure form (`/openai/...`): the `api-version` query, when given. */
  readonly apiVersion?: string;
  /** Azure form: the deployment of `/openai/deployments/<deployment>/...`. */
  readonly deployment?: string;
}

const router = new Router([...chatRoutes, ...storedCompletionRoutes, ...embeddingRoutes, ...fileRoutes, ...fineTuningRoutes, ...graderRoutes, ...batchRoutes]);

const MISSING_KEY =
  "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). " +
  'You can obtain an API key from https://platform.openai.com/account/api-keys.';

const MALFORMED_BODY = '{"id": "chatcmpl-malformed", "object": "chat.completion", "choices": [{"index": 0, "message": {"role": "assistant", "content": "trunc';

/** What a proxy or portal in front of the API answers instead of JSON. */
const HTML_PAGE = '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n';

/** An embeddings reply of the wrong shape, one vector per input so only the named field is wrong. */
function malformedEmbeddings(missing: 'data' | 'index', body: ParsedBody): Reply {
  const request = body.kind === 'json' && isRecord(body.value) ? body.value : {};
  const inputs = Array.isArray(request.input) ? request.input : [request.input];
  const vectors = inputs.map((input) => embedText(String(input)));
  if (missing === 'data') return json({ embedding: vectors[0] });
  return json({ object: 'list', model: request.model, data: vectors.map((embedding) => ({ object: 'embedding', embedding })), usage: { prompt_tokens: 1, total_tokens: 1 } });
}

export class OpenAiTestServer {
  readonly baseURL: string;
  /** The server's origin as an Azure OpenAI endpoint (AZURE_OPENAI_ENDPOINT): it also serves `/openai/...`. */
  readonly endpoint: string;
  readonly apiKey: string;
  /** Every request received, in arrival order (faulted and unauthorised ones too). */
  readonly requests: LoggedRequest[] = [];
  readonly state: OpenAiTestServerState;
  private latencyMs: number;
  private readonly faults = new FaultQueue();
  private readonly hanging = new Set<ServerResponse>();
  private readonly context: ServerContext;
  private requestCounter = 0;

  private constructor(
    private readonly http: Server,
    options: OpenAiTestServerOptions,
  ) {
    const { port } = http.address() as AddressInfo;
    this.endpoint = `http://127.0.0.1:${port}`;
    this.baseURL = `${this.endpoint}/v1`;
    this.apiKey = options.apiKey ?? 'test-key';
    this.latencyMs = options.latencyMs ?? 0;
    this.state = new OpenAiTestServerState();
    this.context = { state: this.state, chatHandler: undefined };
  }

  static async start(options: OpenAiTestServerOptions = {}): Promise<OpenAiTestServer> {
    const http = createServer();
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(0, '127.0.0.1', () => resolve());
    });
    const server = new OpenAiTestServer(http, options);
    http.on('request', (request: IncomingMessage, response: ServerResponse) => void server.handle(request, response));
    return server;
  }

  /** Queues a fault for the next `times` requests that match. */
  fault(match: FaultMatch, fault: Fault, times = 1): void {
    this.faults.add(match, fault, times);
  }

  /** How many faulted requests are still queued (a test can check that all were used). */
  get pendingFaults(): number {
    return this.faults.pending;
  }

  /** Scripts chat replies (also for batches and model graders); a handler returning undefined keeps the default. */
  onChat(handler: ChatHandler | undefined): void {
    this.context.chatHandler = handler;
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** Back to a fresh server on the same port: no stores, faults, handler, latency or log. */
  reset(): void {
    this.state.clear();
    this.faults.clear();
    this.context.chatHandler = undefined;
    this.latencyMs = 0;
    this.requests.length = 0;
  }

  /** Stops the server, ending hanging requests and idle keep-alive connections. */
  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.hanging.clear();
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeAllConnections();
    await closed;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.requestCounter += 1;
    const headers = { 'x-request-id': `req_test_${this.requestCounter}`, 'openai-version': '2020-10-01' };
    let reply: Reply | 'hang';
    try {
      reply = await this.replyTo(request, response);
    } catch (error) {
      reply = this.errorReply(error);
    }
    if (reply === 'hang') return;
    if (this.latencyMs > 0) await delay(this.latencyMs);
    if (reply.kind === 'stream' && reply.ending === 'hold') this.hold(response);
    sendReply(response, reply, headers);
  }

  private async replyTo(request: IncomingMessage, response: ServerResponse): Promise<Reply | 'hang'> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]));
    const bytes = await readRequestBody(request);
    let body: ParsedBody = { kind: 'none' };
    let bodyError: unknown;
    try {
      body = await parseBody(bytes, headers['content-type']);
    } catch (error) {
      bodyError = error;
    }
    const azure = azurePath(url.pathname);
    const apiVersion = url.searchParams.get('api-version');
    const logged = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), body: loggedBody(body), headers, at: Date.now() };
    this.requests.push(azure ? { ...logged, ...(apiVersion !== null ? { apiVersion } : {}), ...(azure.deployment ? { deployment: azure.deployment } : {}) } : logged);

    if (azure) {
      authorizeAzure(headers, this.apiKey);
      checkApiVersion(apiVersion, azure.v1);
      checkAzureSurface(azure);
    } else this.authorize(headers.authorization);
    if (bodyError) throw bodyError;
    const routePath = azure?.routePath ?? url.pathname.replace(/^\/v1(?=\/)/, '');
    const fault = this.faults.take(method, routePath, body);
    if (fault?.kind === 'hang') {
      this.hold(response);
      return 'hang';
    }
    if (fault?.kind === 'malformed') return { kind: 'raw', status: 200, body: MALFORMED_BODY, contentType: 'application/json' };
    if (fault?.kind === 'html') return { kind: 'raw', status: fault.status ?? 200, body: HTML_PAGE, contentType: 'text/html; charset=utf-8' };
    if (fault?.kind === 'malformedEmbeddings') return malformedEmbeddings(fault.missing, body);
    if (fault?.kind === 'status') throw statusFault(fault);
    if (fault?.kind === 'noResponseFormat') throw invalidRequest('response_format is not supported by this model.', 'response_format', 'unsupported_parameter');
    if (fault?.kind === 'noStream') throw invalidRequest('stream is not supported by this model.', 'stream', 'unsupported_parameter');

    const found = azure || url.pathname.startsWith('/v1/') ? router.match(method, routePath) : undefined;
    if (!found) throw new ApiError(404, `Invalid URL (${method} ${url.pathname})`);
    return found.route.handle({ method, path: routePath, params: found.params, query: url.searchParams, body, headers, fault, azure: azure !== undefined }, this.context);
  }

  /** Keeps a response open until the client leaves or the server closes. */
  private hold(response: ServerResponse): void {
    this.hanging.add(response);
    response.once('close', () => this.hanging.delete(response));
  }

  private authorize(authorization: string | undefined): void {
    if (!authorization) throw new ApiError(401, MISSING_KEY);
    const key = /^Bearer (.+)$/.exec(authorization)?.[1] ?? '';
    if (key !== this.apiKey) {
      const masked = key.length > 8 ? `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}` : '*'.repeat(key.length);
      throw new ApiError(401, `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', null, 'invalid_api_key');
    }
  }

  private errorReply(error: unknown): Reply {
    if (error instanceof ApiError) return json(error.toBody(), error.status, error.headers);
    if (error instanceof AzureFrontDoorError) return json(error.toBody(), error.status);
    // A bug in the test server itself: say so, and tell the SDK not to retry it.
    const message = `The test server failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    return json(new ApiError(500, message, 'server_error').toBody(), 500, { 'x-should-retry': 'false' });
  }
}

function statusFault(fault: Extract<Fault, { kind: 'status' }>): ApiError {
  const base = errorForStatus(fault.status, fault.message);
  const headers: Record<string, string> = {};
  if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
  if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
  return new ApiError(base.status, base.message, base.type, base.param, base.code, headers);
}

function loggedBody(body: ParsedBody): unknown {
  if (body.kind === 'json') return body.value;
  if (body.kind === 'none') return undefined;
  const files = Object.fromEntries(Object.entries(body.files).map(([name, part]) => [name, { filename: part.filename, bytes: part.content.length }]));
  return { ...body.fields, ...files };
}
