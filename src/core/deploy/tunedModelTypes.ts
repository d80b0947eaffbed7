// The tuned model as step 7 records it (`.rft/tuned.json`): its id, endpoint and the key's variable name. Types only,
// so the deploy protocol (src/shared/deployProtocol.ts) and the webview can import them; tunedModel.ts reads and
// writes the file.

export type EndpointKind = 'openai' | 'azure' | 'compatible';

export interface TunedModel {
  /** The model id the endpoint serves: "ft:gpt-4o-mini:org::abc", an Azure deployment's model, a vLLM served name. */
  readonly model: string;
  readonly endpoint: EndpointKind;
  /** compatible: the server's base URL (…/v1); azure: the resource endpoint. */
  readonly baseURL?: string;
  /** azure: the deployment name. */
  readonly deployment?: string;
  readonly apiVersion?: string;
  /** The environment variable that holds the key (a name, never the key). */
  readonly apiKeyEnv?: string;
  /** The model it was tuned from. */
  readonly baseModel?: string;
  readonly source: 'manual' | 'job';
  readonly jobId?: string;
  readonly recordedAt: string;
}
