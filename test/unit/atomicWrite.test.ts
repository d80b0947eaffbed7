import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../src/core/fs/atomicWrite';
import { useTempDir } from '../support/tempDir';

/** A file written by support/atomicWriter.ts is whole when it starts with "<n>:" and ends with "|end:<n>". */
function isWhole(content: string): boolean {
  const match = /^(\d+):/.exec(content);
  return match !== null && content.endsWith(`|end:${match[1]}`);
}

describe('writeFileAtomic', () => {
  const dir = useTempDir();

  it('a kill at any moment leaves the old or the new content, never a mix', async function () {
    this.timeout(120_000);
    const target = path.join(dir(), 'target.txt');
    fs.writeFileSync(target, '0:|end:0');
    for (let round = 0; round < 20; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../support/atomicWriter.ts'), target], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 5 + ((round * 37) % 60)));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      assert.ok(isWhole(fs.readFileSync(target, 'utf8')), `round ${round}: the file is whole`);
    }
  });

  it('keeps the file mode and leaves no temporary file on failure', async () => {
    const folder = fs.mkdtempSync(path.join(dir(), 'mode-'));
    const target = path.join(folder, 'mode.txt');
    fs.writeFileSync(target, 'old', { mode: 0o600 });
    await writeFileAtomic(target, 'new');
    assert.equal(fs.readFileSync(target, 'utf8'), 'new');
    assert.equal(fs.statSync(target).mode & 0o777, 0o600);
    await assert.rejects(writeFileAtomic(target, async (write) => {
      await write('partial');
      throw new Error('producer failed');
    }), /producer failed/);
    assert.equal(fs.readFileSync(target, 'utf8'), 'new');
    assert.deepEqual(fs.readdirSync(folder), ['mode.txt']);
  });
});
