// The sandboxes from the bundle (docs/grader.md §Sandboxes): the built grader worker and Pyodide's files work from dist/
// without node_modules, in-process and through `rft grader run`. (Split from graderSandbox.test.ts.)
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import type { ScriptOutcome } from '../../src/core/grader/sandbox/scriptLimits';

import { ROOT, failure } from './graderSandboxSupport';

describe('sandboxes from the bundle (dist/, no node_modules)', function () {
  this.timeout(120_000);

  /** `npm test` builds first; alone, these tests build when dist/ is missing or older than the sandbox sources. */
  function ensureBuilt(): void {
    const worker = path.join(ROOT, 'dist', 'graderWorker.js');
    const sources = path.join(ROOT, 'src', 'core', 'grader', 'sandbox');
    const complete = ['cli.js', 'graderWorker.js', path.join('pyodide', 'pyodide.asm.wasm')].every((file) => fs.existsSync(path.join(ROOT, 'dist', file)));
    const built = complete ? fs.statSync(worker).mtimeMs : 0;
    if (fs.readdirSync(sources).some((file) => fs.statSync(path.join(sources, file)).mtimeMs > built)) {
      try {
        execFileSync(process.execPath, ['esbuild.config.mjs'], { cwd: ROOT, stdio: 'pipe' });
      } catch (error) {
        throw new Error(`the build failed: ${String((error as { stderr?: Buffer }).stderr ?? error)}`);
      }
    }
  }

  it('grades with both sandboxes from a copy of dist/ in a folder without node_modules', async () => {
    ensureBuilt();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rft-grader-bundle-'));
    for (let up = dir; path.dirname(up) !== up; up = path.dirname(up)) assert.equal(fs.existsSync(path.join(up, 'node_modules')), false, `${up} has node_modules`);
    fs.copyFileSync(path.join(ROOT, 'dist', 'graderWorker.js'), path.join(dir, 'graderWorker.js'));
    fs.cpSync(path.join(ROOT, 'dist', 'pyodide'), path.join(dir, 'pyodide'), { recursive: true });
    // The host side as the extension and the CLI bundle it: into one file beside the worker.
    await esbuild.build({
      stdin: {
        contents: "export { JsSandbox, jsGraderInput } from './src/core/grader/sandbox/jsSandbox';\nexport { PythonSandbox } from './src/core/grader/sandbox/pythonSandbox';",
        resolveDir: ROOT,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outfile: path.join(dir, 'sandboxes.js'),
      logLevel: 'silent',
    });
    fs.writeFileSync(
      path.join(dir, 'check.js'),
      `const { JsSandbox, jsGraderInput, PythonSandbox } = require('./sandboxes.js');
(async () => {
  const sample = { output_text: 'Paris' }, item = { reference_answer: 'Paris', messages: [{ role: 'user', content: 'Capital of France?' }] };
  const js = await JsSandbox.create(), python = await PythonSandbox.create();
  const out = {
    js: await js.run('function grade(input) { return input.response === input.item.reference_answer ? 1 : 0 }', jsGraderInput(sample, item)),
    jsLoop: await js.run('function grade() { for (;;) {} }', jsGraderInput(sample, item), { timeoutMs: 300, memoryMb: 256 }),
    python: await python.run('import json\\ndef grade(sample, item):\\n    return 1.0 if sample["output_text"] == item["reference_answer"] else 0.0', sample, item),
    pythonJs: await python.run('import js\\ndef grade(s, i):\\n    return 1', sample, item),
    pythonSocket: await python.run('import socket\\ndef grade(s, i):\\n    return 1', sample, item),
  };
  await js.dispose();
  await python.dispose();
  console.log(JSON.stringify(out));
})();
`,
    );
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    delete env.NODE_PATH;
    const out = JSON.parse(execFileSync(process.execPath, ['check.js'], { cwd: dir, env, encoding: 'utf8', timeout: 100_000 })) as Record<string, ScriptOutcome>;
    assert.deepEqual(out.js, { ok: true, value: 1 });
    assert.equal(failure(out.jsLoop).code, 'unresponsive_reward_error');
    assert.deepEqual(out.python, { ok: true, value: 1 });
    assert.match(failure(out.pythonJs).message, /js is not available/);
    assert.match(failure(out.pythonSocket).message, /socket is not available/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('`rft grader run` from a copy of dist/ and bin/ in a folder without node_modules scores js and python graders', () => {
    ensureBuilt();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rft-grader-cli-'));
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.copyFileSync(path.join(ROOT, 'bin', 'rft.js'), path.join(dir, 'bin', 'rft.js'));
    fs.mkdirSync(path.join(dir, 'dist'));
    for (const file of ['cli.js', 'graderWorker.js', 'validationWorker.js']) fs.copyFileSync(path.join(ROOT, 'dist', file), path.join(dir, 'dist', file));
    fs.cpSync(path.join(ROOT, 'dist', 'pyodide'), path.join(dir, 'dist', 'pyodide'), { recursive: true });
    const graders = {
      js: { type: 'js', name: 'has_reference', source: 'function grade(input) { return input.response.includes(String(input.item.reference_answer)) ? 1 : 0 }' },
      python: { type: 'python', name: 'has_reference', source: 'def grade(sample, item):\n    return 1.0 if item["reference_answer"] in sample["output_text"] else 0.0\n' },
      hostile: { type: 'python', name: 'hostile', source: 'import os\ndef grade(sample, item):\n    return float(os.system("true"))\n' },
    };
    fs.writeFileSync(path.join(dir, 'pairs.jsonl'), '{"item":{"reference_answer":"Paris"},"sample":"The capital is Paris."}\n{"item":{"reference_answer":"Rome"},"sample":"The capital is Paris."}\n');
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    delete env.NODE_PATH;
    const grade = (name: keyof typeof graders) => {
      fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(graders[name]));
      try {
        return JSON.parse(execFileSync(process.execPath, ['bin/rft.js', 'grader', 'run', `${name}.json`, '--pairs', 'pairs.jsonl', '--json'], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 }));
      } catch (error) {
        return JSON.parse((error as { stdout: string }).stdout); // exit code 1: some pairs had errors
      }
    };
    assert.deepEqual(
      grade('js').results.map((r: { reward: number }) => r.reward),
      [1, 0],
    );
    assert.deepEqual(
      grade('python').results.map((r: { reward: number }) => r.reward),
      [1, 0],
    );
    assert.match(grade('hostile').results[0].error, /os\.system is not available/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
