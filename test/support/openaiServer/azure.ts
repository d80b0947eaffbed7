// The Azure OpenAI form of the same API, as the `openai` SDK's AzureOpenAI client calls it:
// `{endpoint}/openai/<path>?api-version=<v>`, and for the deployment endpoints (chat/completions, embeddings…)
// `{endpoint}/openai/deployments/<deployment>/<path>`; the key in the `api-key` header, or an Entra ID token as
// `Authorization: Bearer`. Azure's own front door answers in its envelope `{"error":{"code","message"}}`.
// The v1 surface, `{endpoint}/openai/v1/<path>`, takes `api-version` optionally (`v1` when absent, or `preview`) and
// is the only one that serves the graders (`/fine_tuning/alpha/graders/run|validate`, Azure's v1 reference in
// test/fixtures/vendor/azure/v1-reference-excerpts.json); the dated versions document no graders path.

/** Where an Azure request goes: the route path below `/openai` (or `/openai/v1`, and below the deployment). */
export interface AzurePath {
  readonly routePath: string;
  readonly deployment?: string;
  /** Came in on the v1 surface (`/openai/v1/...`). */
  readonly v1?: boolean;
}

const DEPLOYMENT_PATH = /^\/openai\/deployments\/([^/]+)(\/.+)$/;
const V1_PATH = /^\/openai\/v1(\/.+)$/;
/** `2024-10-21`, `2025-04-01-preview`: the shape of every Azure OpenAI data-plane API version. */
const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;
/** What the v1 surface takes as `api-version` (absent means `v1`). */
const V1_API_VERSIONS = ['v1', 'preview'];
/** Paths Azure serves only on the v1 surface. */
const V1_ONLY = /^\/fine_tuning\/alpha\/graders\//;

export function azurePath(pathname: string): AzurePath | undefined {
  const v1 = V1_PATH.exec(pathname);
  if (v1) return { routePath: v1[1], v1: true };
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
    throw new AzureFrontDoorError(
      401,
      '401',
      'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
    );
  }
}

/**
 * Azure answers a dated-surface request without `api-version` with 404 "Resource not found", and an unknown one with
 * 400; the v1 surface takes none, `v1` or `preview`.
 */
export function checkApiVersion(apiVersion: string | null, v1 = false): void {
  if (v1) {
    if (apiVersion !== null && !V1_API_VERSIONS.includes(apiVersion)) throw new AzureFrontDoorError(400, 'BadRequest', 'API version not supported');
    return;
  }
  if (apiVersion === null) throw new AzureFrontDoorError(404, '404', 'Resource not found');
  if (!API_VERSION.test(apiVersion)) throw new AzureFrontDoorError(400, 'BadRequest', 'API version not supported');
}

/** The graders exist only on the v1 surface: elsewhere Azure has no such resource (404). */
export function checkAzureSurface(path: AzurePath): void {
  if (!path.v1 && V1_ONLY.test(path.routePath)) throw new AzureFrontDoorError(404, '404', 'Resource not found');
}

/** A job created with an upload Azure has not processed yet is refused (the code is Azure's; the sentence is ours). */
export function fileNotProcessed(fileId: string, status: string): AzureFrontDoorError {
  return new AzureFrontDoorError(400, 'invalidPayload', `The file ${fileId} is not ready for fine-tuning: its status is ${status}, it must be processed (test server wording).`);
}
