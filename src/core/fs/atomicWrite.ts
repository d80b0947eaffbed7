import * as fs from 'node:fs';
import * as path from 'node:path';

/** A writer that receives the content of the new file in pieces. */
export type AtomicWriter = (chunk: Buffer | string) => Promise<void>;

/**
 * Writes a file atomically: the content goes to a temporary file next to the target, is flushed to disk
 * (fsync), then renamed over the target. A crash or kill at any moment leaves either the old file or the new
 * one, never a part of one. Every write of the project goes through here (docs/dataset-format.md §Atomic writes).
 */
export async function writeFileAtomic(target: string, produce: ((write: AtomicWriter) => Promise<void>) | Buffer | string): Promise<void> {
  const temporary = path.join(path.dirname(target), temporaryName(path.basename(target)));
  const handle = await fs.promises.open(temporary, 'wx', await modeOf(target));
  try {
    const write: AtomicWriter = async (chunk) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      let done = 0;
      while (done < bytes.length) done += (await handle.write(bytes, done, bytes.length - done)).bytesWritten;
    };
    if (typeof produce === 'function') await produce(write);
    else await write(produce);
    await handle.sync();
    await handle.close();
    await fs.promises.rename(temporary, target);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.promises.rm(temporary, { force: true });
    throw error;
  }
}

async function modeOf(target: string): Promise<number> {
  try {
    return (await fs.promises.stat(target)).mode & 0o777;
  } catch {
    return 0o644;
  }
}

/** `.<target>.<pid>.<time+random>.tmp`: the pid lets a later run tell a dead writer's leftover from a live write. */
function temporaryName(base: string): string {
  return `.${base}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`;
}

const OUR_TEMPORARY = /^\..+\.(\d+)\.[0-9a-z]+\.tmp$/;

/** A leftover is older than this before it is removed, so a slow writer on another machine (a shared folder) is left alone. */
export const STALE_TEMPORARY_MS = 60 * 60 * 1000;

/**
 * Removes the temporary files our writer left in `folders` when its process was killed (kill -9, a crash): only
 * names of our pattern, older than `olderThanMs`, whose writer process no longer runs. Returns what it removed.
 * Anything else, and a folder that cannot be read, is left alone.
 */
export function removeStaleTemporaries(folders: readonly string[], olderThanMs = STALE_TEMPORARY_MS): string[] {
  const removed: string[] = [];
  for (const folder of folders) {
    let names: string[];
    try {
      names = fs.readdirSync(folder);
    } catch {
      continue;
    }
    for (const name of names) {
      const match = OUR_TEMPORARY.exec(name);
      if (!match || writerAlive(Number(match[1]))) continue;
      const file = path.join(folder, name);
      try {
        const stat = fs.lstatSync(file);
        if (!stat.isFile() || Date.now() - stat.mtimeMs < olderThanMs) continue;
        fs.rmSync(file);
        removed.push(file);
      } catch {
        // gone already, or not ours to remove
      }
    }
  }
  return removed;
}

function writerAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
