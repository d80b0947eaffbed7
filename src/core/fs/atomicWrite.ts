import * as fs from 'node:fs';
import * as path from 'node:path';

/** A writer that receives the content of the new file in pieces. */
export type AtomicWriter = (chunk: Buffer | string) => Promise<void>;

/**
 * Writes a file atomically: the content goes to a temporary file next to the target, is flushed to disk
 * (fsync), then renamed over the target. A crash or kill at any moment leaves either the old file or the new
 * one, never a part of one. Every write of the project goes through here (DESIGN §2).
 */
export async function writeFileAtomic(target: string, produce: ((write: AtomicWriter) => Promise<void>) | Buffer | string): Promise<void> {
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
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
