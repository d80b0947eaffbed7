// What was deployed where (`.rft/deployments.jsonl`, one JSON line per deployment or undo), for "Undo deploy".
import * as fs from 'node:fs';
import * as path from 'node:path';
import { STATE_DIR } from '../dataset/manifest';
import type { DeployMode } from './litellmConfig';

export const DEPLOYMENTS_FILE = path.join(STATE_DIR, 'deployments.jsonl');
export const BACKUPS_DIR = path.join(STATE_DIR, 'deploy-backups');

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

export async function readDeployments(dir: string): Promise<{ deployments: DeploymentRecord[]; undone: Set<string> }> {
  let text = '';
  try {
    text = await fs.promises.readFile(path.join(dir, DEPLOYMENTS_FILE), 'utf8');
  } catch {
    // none yet
  }
  const deployments: DeploymentRecord[] = [];
  const undone = new Set<string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const entry = JSON.parse(line) as DeploymentRecord | UndoRecord;
      if (entry.kind === 'deploy') deployments.push(entry);
      else if (entry.kind === 'undo') undone.add(entry.of);
    } catch {
      // a torn last line: that entry was never complete
    }
  }
  return { deployments, undone };
}

/** The newest deployment that was not undone. */
export async function activeDeployment(dir: string): Promise<DeploymentRecord | undefined> {
  const { deployments, undone } = await readDeployments(dir);
  return deployments.filter((d) => !undone.has(d.time)).at(-1);
}

export async function appendDeploymentEntry(dir: string, entry: DeploymentRecord | UndoRecord): Promise<void> {
  await fs.promises.mkdir(path.join(dir, STATE_DIR), { recursive: true });
  await fs.promises.appendFile(path.join(dir, DEPLOYMENTS_FILE), `${JSON.stringify(entry)}\n`);
}

/** "A/B 90/10 · support-bot", "Replace · support-bot", "Alias · support-bot-ft". */
export function describeDeployment(deployment: DeploymentRecord): string {
  if (deployment.mode === 'ab') {
    const tuned = deployment.weights?.filter((w) => w.model.endsWith(deployment.tunedModel) || w.model === deployment.tunedModel).reduce((a, w) => a + w.weight, 0) ?? 0;
    const total = deployment.weights?.reduce((a, w) => a + w.weight, 0) ?? 0;
    const share = total > 0 ? Math.round((tuned / total) * 100) : 0;
    return `A/B ${100 - share}/${share} · ${deployment.modelName}`;
  }
  return `${deployment.mode === 'replace' ? 'Replace' : 'Alias'} · ${deployment.modelName}`;
}
