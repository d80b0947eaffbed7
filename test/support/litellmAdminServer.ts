// A protocol-faithful LiteLLM proxy admin API for tests (test/fixtures/vendor/litellm/admin-api.json, routing.json):
// GET /model/info, GET /router/settings, POST /model/new, /model/update, /model/delete behind the master key. It
// reproduces what a client must survive: /model/info removes api_key (and client_secret, vertex_credentials, aws_*
// keys) and masks secret-looking values; /model/update merges — a declared field sent as null or left out keeps its
// value, an undeclared stored key not sent is dropped — and answers 200 null without store_model_in_db; /model/new
// keeps a model_info.id it is given. Without a model database every write answers LiteLLM's 500; a model defined in
// config.yaml cannot be updated (400 "Model in config") or deleted (400 "not found in db"). Errors come in LiteLLM's
// ProxyException envelope, the HTTPException detail printed as a Python dict.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

export interface AdminModel {
  model_name: string;
  litellm_params: Record<string, unknown>;
  model_info: { id: string; db_model: boolean; [key: string]: unknown };
}

interface AdminFacts {
  modelUpdate: { updateLiteLLMParamsDeclaredFields: string[] };
  modelInfo: { removedParams: string[]; maskedKeySegments: string[]; mask: { visiblePrefix: number; visibleSuffix: number; maskChar: string; shorterThan: number } };
}

/** LiteLLM's behaviour as copied from its source (the stand-in reads the same facts the tests assert against). */
export const ADMIN_FACTS = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'vendor', 'litellm', 'admin-api.json'), 'utf8')) as AdminFacts & Record<string, unknown>;
const DECLARED = new Set(ADMIN_FACTS.modelUpdate.updateLiteLLMParamsDeclaredFields);

export const NO_DB_MESSAGE = "No DB Connected. Here's how to do it - https://docs.litellm.ai/docs/proxy/virtual_keys";
export const STORE_MODEL_IN_DB_MESSAGE = "Set `'STORE_MODEL_IN_DB='True'` in your env to enable this feature.";
export const MODEL_IN_CONFIG_MESSAGE = "Can't edit model. Model in config. Store model in db via `/model/new`. to edit.";

export class LitellmAdminServer {
  /** Off: /model/new and /model/delete answer the 500 LiteLLM gives without store_model_in_db; /model/update answers null. */
  storeModelInDb = true;
  /** False: no database at all (prisma_client is None). */
  databaseConnected = true;
  /** router_settings.routing_strategy as GET /router/settings reports it; false: the endpoint does not exist (404). */
  routerSettings: { routing_strategy?: string } | false = { routing_strategy: 'simple-shuffle' };
  readonly models: AdminModel[] = [];
  readonly requests: { method: string; path: string; body: unknown }[] = [];
  private nextId = 1;

  private constructor(
    private readonly server: http.Server,
    readonly masterKey: string,
  ) {}

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

  /** A model stored in the database as /model/new stores it (a test's starting state). */
  seed(model_name: string, litellm_params: Record<string, unknown>, model_info: Record<string, unknown> = {}): AdminModel {
    const model: AdminModel = { model_name, litellm_params: withoutNulls(litellm_params), model_info: { ...model_info, id: String(model_info.id ?? `db-${this.nextId++}`), db_model: true } };
    this.models.push(model);
    return model;
  }

  /** What the database holds for an id (deep copy). */
  stored(id: string): AdminModel | undefined {
    const model = this.models.find((m) => m.model_info.id === id);
    return model ? structuredClone(model) : undefined;
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
      if (error instanceof HttpError) return error.status === 404 ? send(response, 404, { detail: 'Not Found' }) : send(response, error.status, proxyError(error.detail, error.status));
      throw error;
    }
  }

  private route(method: string, route: string, body: Record<string, unknown>): unknown {
    if (method === 'GET' && route === '/model/info')
      return { data: this.models.map((model) => ({ model_name: model.model_name, litellm_params: shownParams(model.litellm_params), model_info: { ...model.model_info } })) };
    if (method === 'GET' && route === '/router/settings') {
      if (this.routerSettings === false) throw new HttpError(404, 'Not Found');
      return { fields: [], current_values: { ...this.routerSettings }, routing_strategy_descriptions: {} };
    }
    if (method !== 'POST') throw new HttpError(405, 'Method Not Allowed');
    if (!this.databaseConnected) throw new HttpError(500, pythonDict(NO_DB_MESSAGE));
    switch (route) {
      case '/model/new':
        return this.newModel(body);
      case '/model/update':
        return this.updateModel(body);
      case '/model/delete':
        return this.deleteModel(body);
      default:
        throw new HttpError(404, 'Not Found');
    }
  }

  private newModel(body: Record<string, unknown>): unknown {
    if (!this.storeModelInDb) throw new HttpError(500, pythonDict(STORE_MODEL_IN_DB_MESSAGE));
    if (typeof body.model_name !== 'string' || !body.litellm_params || typeof (body.litellm_params as { model?: unknown }).model !== 'string')
      throw new HttpError(422, 'model_name and litellm_params.model are required');
    const info = (body.model_info ?? {}) as Record<string, unknown>;
    if (info.id !== undefined && info.id !== null && this.models.some((m) => m.model_info.id === String(info.id)))
      throw new HttpError(500, pythonDict('Failed to add model to db. Check your server logs for more details.'));
    const model = this.seed(body.model_name, body.litellm_params as Record<string, unknown>, info);
    return row(model);
  }

  /** update_model: only model_info.id and litellm_params are read; merged field by field over updateLiteLLMParams' fields. */
  private updateModel(body: Record<string, unknown>): unknown {
    const info = body.model_info as { id?: unknown } | undefined | null;
    if (!info) throw new HttpError(400, 'Authentication Error, model_info not provided');
    if (info.id === undefined || info.id === null) throw new HttpError(400, 'Authentication Error, model_info.id not provided');
    const model = this.models.find((m) => m.model_info.id === String(info.id));
    if (!model) throw new HttpError(400, 'Authentication Error, model not found');
    if (!model.model_info.db_model) throw new HttpError(400, pythonDict(MODEL_IN_CONFIG_MESSAGE));
    if (!this.storeModelInDb) return null;
    const sent = body.litellm_params as Record<string, unknown> | undefined | null;
    if (!sent) throw new HttpError(400, 'Authentication Error, litellm_params not provided');
    // _mp = every declared field (null when not sent) plus the keys sent; merged starts empty
    const visited = new Set([...DECLARED, ...Object.keys(sent)]);
    const merged: Record<string, unknown> = {};
    for (const key of visited) {
      const value = sent[key];
      if (value !== undefined && value !== null) merged[key] = value;
      else if (model.litellm_params[key] !== undefined && model.litellm_params[key] !== null) merged[key] = model.litellm_params[key];
    }
    model.litellm_params = merged;
    return row(model);
  }

  private deleteModel(body: Record<string, unknown>): unknown {
    const id = body.id as string | undefined;
    const model = this.models.find((m) => m.model_info.id === id && m.model_info.db_model);
    if (!model) throw new HttpError(400, pythonDict(`Model with id=${id} not found in db`));
    if (!this.storeModelInDb) throw new HttpError(500, pythonDict(STORE_MODEL_IN_DB_MESSAGE));
    this.models.splice(this.models.indexOf(model), 1);
    return { message: `Model: ${id} deleted successfully` };
  }
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** The LiteLLM_ProxyModelTable row a write returns; its values are stored encrypted, so a client reads no key from it. */
function row(model: AdminModel) {
  const opaque = Object.fromEntries(Object.entries(model.litellm_params).map(([key, value]) => [key, Buffer.from(JSON.stringify(value)).toString('base64')]));
  return { model_id: model.model_info.id, model_name: model.model_name, litellm_params: opaque, model_info: model.model_info, created_by: 'default_user_id', updated_by: 'default_user_id' };
}

/** remove_sensitive_info_from_deployment: the removed keys gone, the values of secret-looking keys masked. */
export function shownParams(params: Record<string, unknown>): Record<string, unknown> {
  const { removedParams, maskedKeySegments, mask } = ADMIN_FACTS.modelInfo;
  const sensitive = (key: string) =>
    key
      .toLowerCase()
      .replace(/-/g, '_')
      .split('_')
      .some((segment) => maskedKeySegments.includes(segment));
  const masked = (value: string) =>
    value.length < mask.shorterThan ? value : `${value.slice(0, mask.visiblePrefix)}${mask.maskChar.repeat(value.length - mask.visiblePrefix - mask.visibleSuffix)}${value.slice(-mask.visibleSuffix)}`;
  return Object.fromEntries(
    Object.entries(params)
      .filter(([key]) => !removedParams.includes(key))
      .map(([key, value]) => [key, sensitive(key) ? masked(value === null || value === undefined ? '' : String(value)) : value === null ? 'None' : value]),
  );
}

const withoutNulls = (params: Record<string, unknown>) => Object.fromEntries(Object.entries(params).filter(([, value]) => value !== null && value !== undefined));

/** How Python prints {"error": message}: the quote it picks depends on the message (repr of a str). */
function pythonDict(message: string): string {
  const quote = message.includes("'") && !message.includes('"') ? '"' : "'";
  return `{'error': ${quote}${message}${quote}}`;
}

function proxyError(message: string, status: number) {
  return { error: { message, type: 'auth_error', param: 'None', code: String(status) } };
}

function send(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
