// A running LiteLLM proxy's admin API (issue 14 §3, issue 19): GET /model/info, GET /router/settings, POST /model/new,
// /model/update, /model/delete with the master key as a bearer token. LiteLLM allows the writes only with a model
// database (store_model_in_db), and never for models defined in config.yaml; its refusals come back as the reason and
// the file route to use instead. What LiteLLM does that a client must know (test/fixtures/vendor/litellm/admin-api.json):
// /model/info never returns api_key (nor client_secret, vertex_credentials, aws_* keys) and masks other secret-looking
// values; /model/update merges, so a key once set cannot be cleared with it.

export interface AdminDeployment {
  readonly id: string;
  readonly modelName: string;
  /** As /model/info shows them: without the keys it removes, secret-looking values masked. */
  readonly litellmParams: Record<string, unknown>;
  readonly modelInfo: Record<string, unknown>;
  /** False for a model defined in config.yaml. */
  readonly dbModel: boolean;
}

export class LitellmAdminError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly reason: string,
  ) {
    super(message);
  }
}

export const FILE_ROUTE = 'use the file route instead: rft deploy without --apply-url writes config.yaml (then restart the proxy)';

/** What /model/info removes from litellm_params (remove_sensitive_info_from_deployment): never readable back. */
export const STRIPPED_PARAMS: readonly string[] = ['api_key', 'client_secret', 'vertex_credentials', 'vertex_ai_credentials', 'aws_access_key_id', 'aws_secret_access_key'];
/** Key segments whose values /model/info masks ("sk-1****cdef"; SensitiveDataMasker). */
export const MASKED_KEY_SEGMENTS: readonly string[] = ['password', 'secret', 'key', 'token', 'auth', 'credential', 'access', 'private', 'certificate', 'fingerprint', 'tenancy'];

/** A litellm_params key whose value /model/info masks: one of its `_`-separated segments is secret-looking. */
export const isMaskedKey = (key: string): boolean =>
  key
    .toLowerCase()
    .replace(/-/g, '_')
    .split('_')
    .some((segment) => MASKED_KEY_SEGMENTS.includes(segment));

export class LitellmAdmin {
  private readonly base: string;

  constructor(
    url: string,
    private readonly masterKey: string,
  ) {
    this.base = url.replace(/\/+$/, '');
  }

  async modelInfo(): Promise<AdminDeployment[]> {
    const body = (await this.call('GET', '/model/info')) as { data?: { model_name?: string; litellm_params?: Record<string, unknown>; model_info?: Record<string, unknown> }[] };
    return (body.data ?? []).map((entry) => ({
      id: String(entry.model_info?.id ?? ''),
      modelName: String(entry.model_name ?? ''),
      litellmParams: entry.litellm_params ?? {},
      modelInfo: entry.model_info ?? {},
      dbModel: entry.model_info?.db_model === true,
    }));
  }

  /** router_settings.routing_strategy as the proxy reports it (GET /router/settings); undefined: the proxy has no such endpoint. */
  async routingStrategy(): Promise<string | undefined> {
    let body: { current_values?: { routing_strategy?: unknown } };
    try {
      body = (await this.call('GET', '/router/settings')) as typeof body;
    } catch (error) {
      if (error instanceof LitellmAdminError && error.status === 404) return undefined;
      throw error;
    }
    const strategy = body.current_values?.routing_strategy;
    return strategy === undefined ? 'simple-shuffle' : typeof strategy === 'string' ? strategy : JSON.stringify(strategy);
  }

  /** The new deployment's model id (LiteLLM keeps a `model_info.id` it is given). */
  async newModel(modelName: string, litellmParams: Record<string, unknown>, modelInfo: Record<string, unknown> = { description: 'deployed by RFT Studio' }): Promise<string> {
    const body = (await this.call('POST', '/model/new', { model_name: modelName, litellm_params: litellmParams, model_info: modelInfo })) as { model_id?: string; model_info?: { id?: string } } | null;
    return String(body?.model_id ?? body?.model_info?.id ?? '');
  }

  /**
   * LiteLLM merges: a key sent with null (or left out) keeps its stored value, and a stored key it does not declare
   * is dropped when not sent — so callers send every key the deployment should keep. Without store_model_in_db it
   * answers 200 with null and changes nothing: that is an error here.
   */
  async updateModel(id: string, litellmParams: Record<string, unknown>): Promise<void> {
    const body = await this.call('POST', '/model/update', { model_info: { id }, litellm_params: litellmParams });
    if (body === null)
      throw new LitellmAdminError(
        `the LiteLLM proxy answered POST /model/update for ${id} with null and changed nothing — it does that when store_model_in_db is off; ${FILE_ROUTE}`,
        200,
        'store_model_in_db is off',
      );
  }

  async deleteModel(id: string): Promise<void> {
    await this.call('POST', '/model/delete', { id });
  }

  private async call(method: string, route: string, payload?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${route}`, {
        method,
        headers: { authorization: `Bearer ${this.masterKey}`, 'content-type': 'application/json' },
        ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
      });
    } catch (error) {
      throw new LitellmAdminError(`cannot reach the LiteLLM proxy at ${this.base}: ${(error as Error).message}; ${FILE_ROUTE}`, 0, 'unreachable');
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = { error: { message: text } };
    }
    if (response.ok) return body;
    const reason = proxyReason(body);
    throw new LitellmAdminError(`the LiteLLM proxy refused ${method} ${route} (${response.status}): ${explain(reason)}; ${FILE_ROUTE}`, response.status, reason);
  }
}

/** The proxy's message: `{"error": {"message": "{'error': \"No DB Connected…\"}"}}` (a Python dict as text) or plain. */
export function proxyReason(body: unknown): string {
  const error = (body as { error?: unknown; detail?: unknown })?.error ?? (body as { detail?: unknown })?.detail;
  const message = typeof error === 'string' ? error : typeof (error as { message?: unknown })?.message === 'string' ? (error as { message: string }).message : JSON.stringify(body);
  const inner = /^\{'error': (["'])([\s\S]*)\1\}$/.exec(message);
  return inner ? inner[2] : message;
}

function explain(reason: string): string {
  if (/No DB Connected|STORE_MODEL_IN_DB/i.test(reason)) return `${reason} — LiteLLM edits models through its admin API only with a database (store_model_in_db)`;
  if (/Model in config|not found in db/i.test(reason)) return `${reason} — models defined in config.yaml cannot be edited through the admin API`;
  return reason;
}
