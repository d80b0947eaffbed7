// What was deployed where (`.rft/deployments.jsonl`, one JSON line per deployment or undo), for "Undo deploy".
import * as fs from 'node:fs';
import * as path from 'node:path';
import { STATE_DIR } from '../dataset/manifest';
import type { AdminRestore, DeploymentRecord, UndoRecord } from './deploymentTypes';

export type { AdminRestore, DeploymentRecord, UndoRecord };

export const DEPLOYMENTS_FILE = path.join(STATE_DIR, 'deployments.jsonl');
export const BACKUPS_DIR = path.join(STATE_DIR, 'deploy-backups');

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
