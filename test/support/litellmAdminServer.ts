// A protocol-faithful LiteLLM proxy admin API for tests (model management of litellm/proxy/management_endpoints/
// model_management_endpoints.py): GET /model/info, POST /model/new, /model/update, /model/delete behind the master
// key. Without a model database every write answers LiteLLM's 500; a model defined in config.yaml cannot be updated
// (400 "Model in config") or deleted (400 "not found in db"). Errors come in LiteLLM's ProxyException envelope, the
// HTTPException detail printed as a Python dict.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AdminModel {
  model_name: string;
  litellm_params: Record<string, unknown>;
  model_info: { id: string; db_model: boolean; [key: string]: unknown };
}

export const NO_DB_MESSAGE = "No DB Connected. Here's how to do it - https://docs.litellm.ai/docs/proxy/virtual_keys";
export const STORE_MODEL_IN_DB_MESSAGE = "Set `'STORE_MODEL_IN_DB='True'` in your env to enable this feature.";
export const MODEL_IN_CONFIG_MESSAGE = "Can't edit model. Model in config. Store model in db via `/model/new`. to edit.";

export class LitellmAdminServer {
  /** Off: /model/new, /model/update and /model/delete answer the 500 LiteLLM gives without store_model_in_db. */
  storeModelInDb = true;
  /** False: no database at all (prisma_client is None). */
  databaseConnected = true;
  readonly models: AdminModel[] = [];
  readonly requests: { method: string; path: string; body: unknown }[] = [];
  private nextId = 1;

  private constructor(private readonly server: http.Server, readonly masterKey: string) {}

  static async start(options: { masterKey?: string; configModels?: { model_name: string; litellm_params: Record<string, unknown> }[] } = {}): Promise<LitellmAdminServer> {
    const server = http.createServer();
    const admin = new LitellmAdminServer(server, options.masterKey ?? 'sk-master-test');
    for (const model of options.configModels ?? []) admin.models.push({ ...model, model_info: { id: `config-${admin.nextId++}`, db_model: false } });
    server.on('request', (request, response) => void admin.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return admin;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of request) text += chunk;
    const route = (request.url ?? '').split('?')[0].replace(/^\/v1/, '');
    let body: Record<string, unknown> = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      return send(response, 422, { detail: [{ type: 'json_invalid', msg: 'JSON decode error' }] });
    }
    this.requests.push({ method: request.method ?? '', path: route, body });
    if (request.headers.authorization !== `Bearer ${this.masterKey}`) return send(response, 401, proxyError('Authentication Error, Invalid proxy server token passed.', 401));
    try {
      const result = this.route(request.method ?? '', route, body);
      return send(response, 200, result);
    } catch (error) {
      if (error instanceof HttpError) return send(response, error.status, proxyError(error.detail, error.status));
      throw error;
    }
  }

  private route(method: string, route: string, body: Record<string, unknown>): unknown {
    if (method === 'GET' && route === '/model/info') return { data: this.models.map((model) => ({ ...model, litellm_params: masked(model.litellm_params) })) };
    if (method !== 'POST') throw new HttpError(405, 'Method Not Allowed');
    if (!this.databaseConnected) throw new HttpError(500, pythonDict(NO_DB_MESSAGE));
    const info = (body.model_info ?? {}) as { id?: string };
    switch (route) {
      case '/model/new': {
        if (!this.storeModelInDb) throw new HttpError(500, pythonDict(STORE_MODEL_IN_DB_MESSAGE));
        if (typeof body.model_name !== 'string' || !body.litellm_params || typeof (body.litellm_params as { model?: unknown }).model !== 'string') throw new HttpError(422, 'model_name and litellm_params.model are required');
        const model: AdminModel = { model_name: body.model_name, litellm_params: { ...(body.litellm_params as Record<string, unknown>) }, model_info: { ...(info as object), id: `db-${this.nextId++}`, db_model: true } };
        this.models.push(model);
        return { model_id: model.model_info.id, model_name: model.model_name, litellm_params: masked(model.litellm_params), model_info: model.model_info };
      }
      case '/model/update': {
        if (!info.id) throw new HttpError(400, 'Authentication Error, model_info.id not provided');
        const model = this.models.find((m) => m.model_info.id === info.id);
        if (!model) throw new HttpError(400, 'Authentication Error, model not found');
        if (!model.model_info.db_model) throw new HttpError(400, pythonDict(MODEL_IN_CONFIG_MESSAGE));
        if (!this.storeModelInDb) throw new HttpError(500, pythonDict(STORE_MODEL_IN_DB_MESSAGE));
        if (!body.litellm_params) throw new HttpError(400, 'Authentication Error, litellm_params not provided');
        // merged with the stored params: a field sent replaces, one left out stays
        for (const [key, value] of Object.entries(body.litellm_params as Record<string, unknown>)) if (value !== null && value !== undefined) model.litellm_params[key] = value;
        return { model_id: model.model_info.id, model_name: model.model_name, litellm_params: masked(model.litellm_params) };
      }
      case '/model/delete': {
        const id = body.id as string | undefined;
        const model = this.models.find((m) => m.model_info.id === id && m.model_info.db_model);
        if (!model) throw new HttpError(400, pythonDict(`Model with id=${id} not found in db`));
        if (!this.storeModelInDb) throw new HttpError(500, pythonDict(STORE_MODEL_IN_DB_MESSAGE));
        this.models.splice(this.models.indexOf(model), 1);
        return { message: `Model: ${id} deleted successfully` };
      }
      default:
        throw new HttpError(404, 'Not Found');
    }
  }
}

class HttpError extends Error {
  constructor(readonly status: number, readonly detail: string) {
    super(detail);
  }
}

/** How Python prints {"error": message}: the quote it picks depends on the message (repr of a str). */
function pythonDict(message: string): string {
  const quote = message.includes("'") && !message.includes('"') ? '"' : "'";
  return `{'error': ${quote}${message}${quote}}`;
}

function proxyError(message: string, status: number) {
  return { error: { message, type: 'auth_error', param: 'None', code: String(status) } };
}

/** /model/info never shows keys. */
function masked(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).map(([key, value]) => [key, key === 'api_key' && typeof value === 'string' && !value.startsWith('os.environ/') ? `${value.slice(0, 2)}****${value.slice(-2)}` : value]));
}

function send(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
