// A running LiteLLM proxy's admin API (issue 14 §3): GET /model/info, POST /model/new, /model/update, /model/delete
// with the master key as a bearer token. LiteLLM allows these only with a model database (store_model_in_db), and
// never for models defined in config.yaml; its refusals come back as the reason and the file route to use instead.

export interface AdminDeployment {
  readonly id: string;
  readonly modelName: string;
  readonly litellmParams: Record<string, unknown>;
  /** False for a model defined in config.yaml. */
  readonly dbModel: boolean;
}

export class LitellmAdminError extends Error {
  constructor(message: string, readonly status: number, readonly reason: string) {
    super(message);
  }
}

export const FILE_ROUTE = 'use the file route instead: rft deploy without --apply-url writes config.yaml (then restart the proxy)';

export class LitellmAdmin {
  private readonly base: string;

  constructor(url: string, private readonly masterKey: string) {
    this.base = url.replace(/\/+$/, '');
  }

  async modelInfo(): Promise<AdminDeployment[]> {
    const body = (await this.call('GET', '/model/info')) as { data?: { model_name?: string; litellm_params?: Record<string, unknown>; model_info?: { id?: string; db_model?: boolean } }[] };
    return (body.data ?? []).map((entry) => ({ id: String(entry.model_info?.id ?? ''), modelName: String(entry.model_name ?? ''), litellmParams: entry.litellm_params ?? {}, dbModel: entry.model_info?.db_model === true }));
  }

  /** The new deployment's model id. */
  async newModel(modelName: string, litellmParams: Record<string, unknown>): Promise<string> {
    const body = (await this.call('POST', '/model/new', { model_name: modelName, litellm_params: litellmParams, model_info: { description: 'deployed by RFT Studio' } })) as { model_id?: string; model_info?: { id?: string } };
    return String(body.model_id ?? body.model_info?.id ?? '');
  }

  async updateModel(id: string, litellmParams: Record<string, unknown>): Promise<void> {
    await this.call('POST', '/model/update', { model_info: { id }, litellm_params: litellmParams });
  }

  async deleteModel(id: string): Promise<void> {
    await this.call('POST', '/model/delete', { id });
  }

  private async call(method: string, route: string, payload?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${route}`, { method, headers: { authorization: `Bearer ${this.masterKey}`, 'content-type': 'application/json' }, ...(payload === undefined ? {} : { body: JSON.stringify(payload) }) });
    } catch (error) {
      throw new LitellmAdminError(`cannot reach the LiteLLM proxy at ${this.base}: ${(error as Error).message}; ${FILE_ROUTE}`, 0, 'unreachable');
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
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
