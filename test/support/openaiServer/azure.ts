// The Azure OpenAI form of the same API, as the `openai` SDK's AzureOpenAI client calls it:
// `{endpoint}/openai/<path>?api-version=<v>`, and for the deployment endpoints (chat/completions, embeddings…)
// `{endpoint}/openai/deployments/<deployment>/<path>`; the key in the `api-key` header, or an Entra ID token as
// `Authorization: Bearer`. Azure's own front door answers in its envelope `{"error":{"code","message"}}`.

/** Where an Azure request goes: the route path below `/openai` (and below the deployment). */
export interface AzurePath {
  readonly routePath: string;
  readonly deployment?: string;
}

const DEPLOYMENT_PATH = /^\/openai\/deployments\/([^/]+)(\/.+)$/;
/** `2024-10-21`, `2025-04-01-preview`: the shape of every Azure OpenAI data-plane API version. */
const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

export function azurePath(pathname: string): AzurePath | undefined {
  const deployed = DEPLOYMENT_PATH.exec(pathname);
  if (deployed) return { routePath: deployed[2], deployment: decodeURIComponent(deployed[1]) };
  return /^\/openai\/./.test(pathname) ? { routePath: pathname.slice('/openai'.length) } : undefined;
}

/** An error of Azure's front door (auth, api-version), before any route sees the request. */
export class AzureFrontDoorError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  toBody(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

export function authorizeAzure(headers: Readonly<Record<string, string>>, apiKey: string): void {
  const key = headers['api-key'] ?? /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
  if (key === undefined) throw new AzureFrontDoorError(401, '401', 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.');
  if (key !== apiKey) {
    throw new AzureFrontDoorError(401, '401', 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.');
  }
}

/** Azure answers a request without `api-version` with 404 "Resource not found", and an unknown one with 400. */
export function checkApiVersion(apiVersion: string | null): void {
  if (apiVersion === null) throw new AzureFrontDoorError(404, '404', 'Resource not found');
  if (!API_VERSION.test(apiVersion)) throw new AzureFrontDoorError(400, 'BadRequest', 'API version not supported');
}
