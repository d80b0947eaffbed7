import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { writeFileAtomic } from '../../src/core/fs/atomicWrite';
import { runRft } from '../support/runRft';
import { useTempDir } from '../support/tempDir';

/** A file written by support/atomicWriter.ts is whole when it starts with "<n>:" and ends with "|end:<n>". */
function isWhole(content: string): boolean {
  const match = /^(\d+):/.exec(content);
  return match !== null && content.endsWith(`|end:${match[1]}`);
}

describe('writeFileAtomic', () => {
  const dir = useTempDir();
  /** support/atomicWriter.ts bundled once, so each writer to kill is a plain node start, not a TypeScript compile. */
  let writer = '';
  before(async () => {
    writer = path.join(dir(), 'atomicWriter.js');
    await esbuild.build({ entryPoints: [path.join(__dirname, '../support/atomicWriter.ts')], outfile: writer, bundle: true, platform: 'node', format: 'cjs', logLevel: 'silent' });
  });

  it('a kill at any moment leaves the old or the new content, never a mix', async function () {
    this.timeout(120_000);
    const target = path.join(dir(), 'target.txt');
    fs.writeFileSync(target, '0:|end:0');
    for (let round = 0; round < 20; round++) {
      const child = spawn(process.execPath, [writer, target], { stdio: ['ignore', 'pipe', 'inherit'] });
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
    await assert.rejects(
      writeFileAtomic(target, async (write) => {
        await write('partial');
        throw new Error('producer failed');
      }),
      /producer failed/,
    );
    assert.equal(fs.readFileSync(target, 'utf8'), 'new');
    assert.deepEqual(fs.readdirSync(folder), ['mode.txt']);
  });

  it('a dataset command removes what a killed write of ours left behind (dead writer, over an hour old), nothing else', async function () {
    this.timeout(120_000);
    const ds = path.join(dir(), 'leftovers');
    assert.equal(runRft(['init', ds, '--name', 'leftovers']).code, 0);
    const records = path.join(ds, 'records.jsonl');
    const temporaries = () => fs.readdirSync(ds).filter((name) => name.endsWith('.tmp'));
    let child: ReturnType<typeof spawn> | undefined;
    for (let attempt = 0; attempt < 10 && temporaries().length === 0; attempt++) {
      child = spawn(process.execPath, [writer, records], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child!.stdout!.once('data', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 3 + attempt * 7));
      child.kill('SIGKILL');
      await new Promise((resolve) => child!.once('exit', resolve));
    }
    const leftover = temporaries();
    assert.equal(leftover.length, 1, `the killed writer left its temporary: ${leftover.join(', ')}`);
    const pid = /\.(\d+)\.[0-9a-z]+\.tmp$/.exec(leftover[0])![1];
    const hourAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    fs.mkdirSync(path.join(ds, '.rft', 'backups'), { recursive: true });
    const ownedByDead = path.join(ds, '.rft', 'backups', `.records.jsonl.${pid}.abc123.tmp`);
    const live = path.join(ds, `.records.jsonl.${process.pid}.abc123.tmp`);
    const notOurs = path.join(ds, 'notes.tmp');
    const recent = path.join(ds, `.topics.json.${pid}.fresh1.tmp`);
    for (const file of [ownedByDead, live, notOurs, recent]) fs.writeFileSync(file, 'x');
    for (const file of [path.join(ds, leftover[0]), ownedByDead, live, notOurs]) fs.utimesSync(file, hourAgo, hourAgo);
    fs.writeFileSync(records, ''); // the writer's own content is no record
    const run = runRft(['status', ds]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(fs.existsSync(path.join(ds, leftover[0])), false, 'the killed write of records.jsonl is removed');
    assert.equal(fs.existsSync(ownedByDead), false, 'and one in .rft/backups');
    for (const kept of [live, notOurs, recent]) assert.ok(fs.existsSync(kept), `${path.basename(kept)} is kept`);
  });
});
