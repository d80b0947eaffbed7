import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

export interface RftRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `rft <args>` in a child process from source. */
export function runRft(args: string[], cwd = ROOT): RftRun {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/support/rft.ts'), ...args], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
