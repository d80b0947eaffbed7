import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A fresh temporary folder per test file, removed after the run. */
export function useTempDir(): () => string {
  let dir = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rft-test-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}

export function writeLines(file: string, lines: readonly unknown[], eol = '\n'): string {
  fs.writeFileSync(file, lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join(eol) + eol);
  return file;
}
