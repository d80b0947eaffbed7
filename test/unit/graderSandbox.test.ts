// The script-grader sandboxes (docs/grader.md §Sandboxes): js in QuickJS and python in Pyodide, each in a worker thread. Normal
// graders score right; the hostile corpus (endless loops, memory bombs, require/process/constructor escapes,
// `import js`, host files, network, processes, deep recursion) is contained, reported with an error code and a
// message, and the next call works; the bundled worker and Pyodide files work from dist/ without node_modules.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { JsSandbox, jsGraderInput } from '../../src/core/grader/sandbox/jsSandbox';
import type { ScriptLimits } from '../../src/core/grader/sandbox/scriptLimits';

import { FAST, ROOMY, ROOT, failure, holdThisThread, item, sample, value } from './graderSandboxSupport';

describe('js grader sandbox (QuickJS in a worker)', function () {
  this.timeout(30_000);
  let sandbox: JsSandbox;
  const run = (source: string, limits?: ScriptLimits) => sandbox.run(source, jsGraderInput(sample, item), limits);

  before(async () => {
    sandbox = await JsSandbox.create();
  });
  after(async () => {
    await sandbox.dispose();
  });

  it('builds the input from the sample and the record', () => {
    const input = jsGraderInput(sample, item);
    assert.equal(input.response, sample.output_text);
    assert.equal(input.lastUserMessage, 'What is the capital\nof France?');
    assert.equal(input.systemPrompt, 'You are a geography tutor.');
    assert.equal(input.messages.length, 4);
    assert.equal(input.tools.length, 1);
    assert.deepEqual(input.toolCalls, sample.output_tools);
    const bare = jsGraderInput({ output_text: '' }, {});
    assert.deepEqual([bare.messages, bare.tools, bare.toolCalls, bare.lastUserMessage, bare.systemPrompt], [[], [], [], '', '']);
    assert.equal(jsGraderInput({ output_text: '' }, { messages: [{ role: 'developer', content: 'Be brief.' }] }).systemPrompt, 'Be brief.');
  });

  it('scores a normal grader and sees every input field', async () => {
    assert.equal(value(await run('function grade(input) { return input.response.includes(input.item.reference_answer) ? 1 : 0 }')), 1);
    const seen = value(
      await run('function grade(i) { return [i.lastUserMessage, i.systemPrompt, i.messages.length, i.tools[0].function.name, i.toolCalls[0].function.name, i.sample.output_text.length] }'),
    );
    assert.deepEqual(seen, ['What is the capital\nof France?', 'You are a geography tutor.', 4, 'lookup', 'lookup', sample.output_text.length]);
    assert.equal(value(await run('export default function grade() { return 0.25 }')), 0.25);
    assert.equal(value(await run('function grade() { console.log("hi"); return 0.5 }')), 0.5);
  });

  it('hands back what grade returned, for the engine to judge', async () => {
    assert.equal(value(await run('function grade() { return "high" }')), 'high');
    assert.ok(Number.isNaN(value(await run('function grade() { return NaN }'))));
    assert.equal(value(await run('function grade() { }')), undefined);
    assert.deepEqual(value(await run('function grade() { return { score: 1 } }')), { score: 1 });
  });

  it('keeps no state between calls: each call re-runs the source, the realm is frozen', async () => {
    const counter = 'let calls = 0; function grade() { calls += 1; return calls }';
    assert.equal(value(await run(counter)), 1);
    assert.equal(value(await run(counter)), 1);
    const global = 'function grade() { try { globalThis.leak = (globalThis.leak || 0) + 1 } catch (e) { return "refused" } return globalThis.leak }';
    assert.equal(value(await run(global)), 'refused');
    const prototype = 'function grade() { try { Array.prototype.leak = 1; return "changed" } catch (e) { return "refused" } }';
    assert.equal(value(await run(prototype)), 'refused');
    assert.equal(value(await run('function grade() { return typeof [].leak }')), 'undefined');
  });

  it('reports errors with their line in the file', async () => {
    const thrown = failure(await run('function grade(input) {\n  return input.nothing.deeper;\n}'));
    assert.equal(thrown.code, 'js_grader_runtime_error');
    assert.match(thrown.message, /^TypeError: .*nothing|deeper.*\(grader\.js:2\)$/);
    assert.match(failure(await run('function grade( { return 1 }')).message, /^SyntaxError: .*\(grader\.js:1\)$/);
    assert.equal(failure(await run('const notGrade = 1;')).message, 'the source defines no function grade(input)');
    assert.match(failure(await run('async function grade() { return 1 }')).message, /Promise/);
  });

  describe('hostile graders', () => {
    it('an endless loop is stopped at the time limit (by QuickJS itself: the worker stays)', async () => {
      const workers = sandbox.workersStarted;
      const outcome = failure(await run('function grade() { while (true) {} }', FAST));
      assert.equal(outcome.code, 'unresponsive_reward_error');
      assert.match(outcome.message, /600 ms/);
      assert.equal(sandbox.workersStarted, workers, 'the interrupt handler stopped it; no worker was replaced');
    });

    it('a host held up past the deadline and the grace still keeps the worker that stopped itself', async () => {
      const workers = sandbox.workersStarted;
      const pending = run('function grade() { while (true) {} }', FAST);
      holdThisThread(FAST.timeoutMs + 1_500);
      assert.equal(failure(await pending).code, 'unresponsive_reward_error');
      assert.equal(value(await run('function grade() { return 1 }')), 1);
      assert.equal(sandbox.workersStarted, workers, 'its answer was waiting: no worker was replaced');
    });

    it('a loop inside a built-in that never checks the clock is stopped by terminating the worker; the next call works', async () => {
      const outcome = failure(await run('function grade() { const parts = []; for (;;) { try { parts.push("x".repeat(1e6) + parts.length) } catch (e) {} } }', FAST));
      assert.ok(['unresponsive_reward_error', 'memory_limit_error'].includes(outcome.code), outcome.code);
      assert.equal(value(await run('function grade() { return 1 }')), 1);
    });

    it('a memory bomb is stopped at the memory limit', async () => {
      const bomb = 'function grade() { const keep = []; for (;;) keep.push(new Float64Array(1 << 20)); }';
      const outcome = failure(await run(bomb, { timeoutMs: 10_000, memoryMb: 256 }));
      assert.equal(outcome.code, 'memory_limit_error');
      assert.match(outcome.message, /256 MB/);
      // 64 MB is enough for 48 MB of arrays, 32 MB is not: the limit is the one asked for.
      const fortyEight = 'function grade() { const keep = []; for (let i = 0; i < 6; i++) keep.push(new Float64Array(1 << 20)); return keep.length }';
      assert.equal(value(await run(fortyEight, { timeoutMs: 10_000, memoryMb: 64 })), 6);
      assert.equal(failure(await run(fortyEight, { timeoutMs: 10_000, memoryMb: 32 })).code, 'memory_limit_error');
    });

    it('has no require, process, fetch or host objects, even through the Function constructor', async () => {
      assert.match(failure(await run('function grade() { return require("fs").readFileSync("/etc/passwd", "utf8") }')).message, /ReferenceError: 'require' is not defined/);
      assert.match(failure(await run('function grade() { process.exit(1) }')).message, /ReferenceError: 'process' is not defined/);
      assert.match(failure(await run('function grade() { return this.constructor.constructor("return process")() }')).message, /TypeError/);
      assert.match(failure(await run('function grade() { return ({}).constructor.constructor("return process")() }')).message, /ReferenceError: 'process' is not defined/);
      assert.match(failure(await run('function grade() { return fetch("http://127.0.0.1:9/") }')).message, /ReferenceError: 'fetch' is not defined/);
      const globals = value(
        await run(
          'function grade() { return [typeof process, typeof require, typeof fetch, typeof XMLHttpRequest, typeof WebSocket, typeof setTimeout, typeof module, typeof Buffer, typeof std, typeof os].join(",") }',
        ),
      );
      assert.equal(globals, 'undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined');
      assert.match(failure(await run('import * as fs from "fs"; function grade() { return 1 }')).message, /SyntaxError/);
      assert.match(failure(await run('function grade() { return import("fs") }')).message, /Promise|not supported|import/);
    });

    it('among many calls in flight, the one that hangs times out and the others score', async () => {
      const sources = Array.from({ length: 60 }, (_, i) => (i === 20 ? 'function grade() { for (;;) {} }' : `function grade() { return ${i} }`));
      // Only the one that hangs has the short limit: the others are not timed (a busy machine may be slow to answer them).
      const outcomes = await Promise.all(sources.map((source, i) => run(source, i === 20 ? FAST : ROOMY)));
      outcomes.forEach((outcome, i) => (i === 20 ? assert.equal(failure(outcome).code, 'unresponsive_reward_error') : assert.equal(value(outcome), i)));
    });

    it('among many calls in flight, a memory bomb costs only its own call (the reload after it keeps the order)', async () => {
      const bomb = 'function grade() { const keep = []; for (;;) keep.push(new Float64Array(1 << 20)); }';
      const limits: ScriptLimits = { timeoutMs: 2000, memoryMb: 32 };
      const sources = Array.from({ length: 40 }, (_, i) => (i % 10 === 3 ? bomb : `function grade() { return ${i} }`));
      const outcomes = await Promise.all(sources.map((source) => run(source, limits)));
      outcomes.forEach((outcome, i) => (i % 10 === 3 ? assert.equal(failure(outcome).code, 'memory_limit_error', `call ${i}`) : assert.equal(value(outcome), i, `call ${i}`)));
    });

    it('deep recursion is an error, not a crash', async () => {
      const outcome = failure(await run('function grade() { function down(n) { return down(n + 1) + 1 } return down(0) }'));
      assert.equal(outcome.code, 'js_grader_runtime_error');
      assert.match(outcome.message, /stack overflow/);
      assert.equal(value(await run('function grade() { function depth(n) { return n === 0 ? 0 : 1 + depth(n - 1) } return depth(1000) }')), 1000);
    });
  });
});

describe('grader-js.d.ts', function () {
  this.timeout(30_000);

  it('types `input` in a graders/*.js file that references it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rft-grader-dts-'));
    fs.copyFileSync(path.join(ROOT, 'media', 'grader-js.d.ts'), path.join(dir, 'grader-js.d.ts'));
    const good = path.join(dir, 'good.js');
    const bad = path.join(dir, 'bad.js');
    const header = '/// <reference path="./grader-js.d.ts" />\n/** @param {GraderInput} input @returns {number} */\n';
    fs.writeFileSync(
      good,
      `${header}function grade(input) {\n  console.log(input.lastUserMessage, input.toolCalls[0]?.function.name, input.item.messages?.[0]?.role);\n  return input.response.includes(String(input.item.reference_answer)) ? 1 : 0;\n}\n`,
    );
    fs.writeFileSync(bad, `${header}function grade(input) {\n  return input.respons.length;\n}\n`);
    const diagnostics = (file: string) => {
      const program = ts.createProgram([file], { allowJs: true, checkJs: true, noEmit: true, strict: true, lib: ['lib.es2023.d.ts'], types: [] });
      return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    };
    assert.deepEqual(diagnostics(good), []);
    assert.match(diagnostics(bad).join('\n'), /Property 'respons' does not exist on type 'GraderInput'. Did you mean 'response'\?/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
