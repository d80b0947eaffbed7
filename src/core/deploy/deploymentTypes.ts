// What was deployed where: the deployment modes and the records of `.rft/deployments.jsonl`. Types only, so the
// deploy protocol (src/shared/deployProtocol.ts) and the webview can import them; deployments.ts reads and appends
// the file, litellmConfig.ts plans the modes.

export type DeployMode = 'replace' | 'alias' | 'ab';

export interface DeploymentRecord {
  readonly kind: 'deploy';
  /** ISO time; also the deployment's id. */
  readonly time: string;
  readonly gateway: 'litellm';
  readonly mode: DeployMode;
  readonly via: 'file' | 'admin';
  /** The config file (file route) or the proxy's URL (admin route). */
  readonly target: string;
  readonly modelName: string;
  readonly tunedModel: string;
  /** ab: each deployment's weight in the group. */
  readonly weights?: readonly { readonly model: string; readonly weight: number }[];
  /** file route: the old file, and the sha256 of what was written (undo refuses when the file changed since). */
  readonly backup?: string;
  readonly writtenHash?: string;
  /** admin route: what undo reverses — the deployments created, and each deployment changed as it was before. */
  readonly admin?: {
    readonly created: readonly string[];
    readonly restore?: readonly AdminRestore[];
    /** Records written before issue 19: params changed with their old values (reversed by /model/update). */
    readonly updated?: readonly { readonly id: string; readonly previous: Record<string, unknown> }[];
  };
}

/**
 * A deployment the admin route changed, as it was. /model/info never shows api_key, so `before` has none: the key is
 * known only as the user named it (`baseApiKey`: os.environ/NAME, or null for none) — at the deploy or at the undo.
 */
export interface AdminRestore {
  readonly id: string;
  readonly modelName: string;
  /** model_info as /model/info showed it (without db_model), for a recreate with the same id. */
  readonly modelInfo: Record<string, unknown>;
  /** litellm_params as /model/info showed them before the deploy. */
  readonly before: Record<string, unknown>;
  /** litellm_params as the deploy left them (without api_key), to see whether someone changed them since. */
  readonly after: Record<string, unknown>;
  /** The deploy set or removed api_key: undo must put the base's key back. */
  readonly apiKeyChanged: boolean;
  /** The base's key as the user named it at the deploy: "os.environ/NAME", or null when it has none. */
  readonly baseApiKey?: string | null;
  /** The deployment was recreated (a merge could not remove its stale keys): the id that now carries `after`. */
  readonly replacedBy?: string;
}

export interface UndoRecord {
  readonly kind: 'undo';
  readonly time: string;
  /** The deployment's time. */
  readonly of: string;
}
