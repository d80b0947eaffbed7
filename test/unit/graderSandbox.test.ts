// The script-grader sandboxes (docs/grader.md §Sandboxes): js in QuickJS and python in Pyodide, each in a worker thread. Normal
// graders score right; the hostile corpus (endless loops, memory bombs, require/process/constructor escapes,
// `import js`, host files, network, processes, deep recursion) is contained, reported with an error code and a
// message, and the next call works; the bundled worker and Pyodide files work from dist/ without node_modules.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import ts from 'typescript';
import { JsSandbox, jsGraderInput } from '../../src/core/grader/sandbox/jsSandbox';
import { PythonSandbox } from '../../src/core/grader/sandbox/pythonSandbox';
import type { ScriptLimits, ScriptOutcome } from '../../src/core/grader/sandbox/scriptLimits';
import type { Item, Sample } from '../../src/core/grader/sample';

const ROOT = path.resolve(__dirname, '../..');
const FAST: ScriptLimits = { timeoutMs: 600, memoryMb: 256 };
/** For work that is slow on a busy machine where the time limit is not what is tested. */
const ROOMY: ScriptLimits = { timeoutMs: 60_000, memoryMb: 256 };

/** This thread busy, as a host busy elsewhere (a long synchronous call, a GC) would be: no timer of ours runs. */
function holdThisThread(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy
  }
}

const sample: Sample = { output_text: 'The capital of France is Paris.', output_tools: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"city":"Paris"}' } }] };
const item: Item = {
  messages: [
    { role: 'system', content: 'You are a geography tutor.' },
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello!' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is the capital' },
        { type: 'text', text: 'of France?' },
      ],
    },
  ],
  tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }],
  reference_answer: 'Paris',
};

function failure(outcome: ScriptOutcome): { code: string; message: string } {
  assert.equal(outcome.ok, false, `expected an error, got ${JSON.stringify(outcome)}`);
  return outcome as { ok: false; code: string; message: string };
}

function value(outcome: ScriptOutcome): unknown {
  assert.equal(outcome.ok, true, `expected a value, got ${JSON.stringify(outcome)}`);
  return (outcome as { value: unknown }).value;
}

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

describe('python grader sandbox (Pyodide in a worker)', function () {
  this.timeout(60_000);
  let sandbox: PythonSandbox;
  const run = (source: string, limits?: ScriptLimits) => sandbox.run(source, sample, item, limits);

  before(async () => {
    sandbox = await PythonSandbox.create();
    assert.equal(value(await run('def grade(sample, item):\n    return 1.0')), 1);
  });
  after(async () => {
    await sandbox.dispose();
  });

  it('scores a normal grader with OpenAI sample and item dicts', async () => {
    const source = 'def grade(sample, item) -> float:\n    return 1.0 if item["reference_answer"] in sample["output_text"] else 0.0\n';
    assert.equal(value(await run(source)), 1);
    const shape = value(
      await run('def grade(sample, item):\n    return [sorted(sample), sample["output_json"], sample["choices"], sample["output_tools"][0]["function"]["name"], item["messages"][0]["role"]]'),
    );
    assert.deepEqual(shape, [['choices', 'output_json', 'output_text', 'output_tools'], null, [], 'lookup', 'system']);
    const json = await sandbox.run('def grade(sample, item):\n    return sample["output_json"]["score"]', { output_text: '{"score": 0.5}', output_json: { score: 0.5 } }, {});
    assert.equal(value(json), 0.5);
  });

  it('hands back what grade returned, for the engine to judge', async () => {
    assert.equal(value(await run('def grade(s, i):\n    return 1')), 1);
    assert.equal(value(await run('def grade(s, i):\n    return True')), true);
    assert.equal(value(await run('def grade(s, i):\n    return "0.5"')), '0.5');
    assert.equal(value(await run('def grade(s, i):\n    return None')), null);
    assert.ok(Number.isNaN(value(await run('def grade(s, i):\n    return float("nan")'))));
    assert.equal(value(await run('def grade(s, i):\n    return {1, 2}')), '{1, 2}');
  });

  it("reports a Python exception as its traceback's last line, with the line in the file", async () => {
    const zero = failure(await run('def grade(sample, item):\n    x = 1\n    return x / 0\n'));
    assert.equal(zero.code, 'python_grader_runtime_error');
    assert.equal(zero.message, 'ZeroDivisionError: division by zero (grader.py line 3)');
    assert.match(failure(await run('def grade(sample, item)\n    return 1')).message, /^SyntaxError: .* \(grader\.py line 1\)$/);
    assert.equal(failure(await run('x = 1')).message, 'the source defines no function grade(sample, item)');
    assert.match(failure(await run('import sys\ndef grade(s, i):\n    sys.exit(3)')).message, /SystemExit/);
  });

  it('names a package outside the standard library', async () => {
    const numpy = failure(await run('import numpy as np\ndef grade(s, i):\n    return float(np.mean([1, 2]))'));
    assert.equal(numpy.code, 'python_grader_runtime_error');
    assert.equal(numpy.message, 'numpy is not available: python graders run with the standard library only');
    assert.equal(failure(await run('from rapidfuzz import fuzz\ndef grade(s, i):\n    return 1')).message, 'rapidfuzz is not available: python graders run with the standard library only');
    assert.equal(value(await run('import json, re, math, difflib, statistics, collections\ndef grade(s, i):\n    return difflib.SequenceMatcher(None, "abc", "abd").ratio()')), 2 / 3);
  });

  it('keeps no state between calls', async () => {
    const counter = 'calls = [0]\ndef grade(s, i):\n    calls[0] += 1\n    return calls[0]';
    assert.equal(value(await run(counter)), 1);
    assert.equal(value(await run(counter)), 1);
    assert.equal(value(await run('def grade(s, i):\n    open("/tmp/note.txt", "w").write("x")\n    return 1')), 1);
    assert.match(failure(await run('def grade(s, i):\n    return open("/tmp/note.txt").read()')).message, /FileNotFoundError/);
    assert.equal(value(await run('import builtins, sys\ndef grade(s, i):\n    builtins.len = lambda x: 42\n    sys.meta_path.clear()\n    return 1')), 1);
    assert.equal(value(await run('import json\ndef grade(s, i):\n    return len("abc")')), 3);
  });

  describe('hostile graders', () => {
    it('an endless loop is interrupted at the time limit and Python stays warm', async () => {
      const workers = sandbox.workersStarted;
      const outcome = failure(await run('def grade(s, i):\n    while True:\n        pass', FAST));
      assert.equal(outcome.code, 'unresponsive_reward_error');
      assert.match(outcome.message, /600 ms/);
      assert.equal(value(await run('def grade(s, i):\n    return 1')), 1);
      assert.equal(sandbox.workersStarted, workers, 'KeyboardInterrupt stopped it; no restart was needed');
    });

    it('a call stuck in C code (no interrupt check) is terminated; the next worker starts clean of its interrupt', async () => {
      const workers = sandbox.workersStarted;
      assert.equal(failure(await run('def grade(s, i):\n    return sum(range(10**12))', FAST)).code, 'unresponsive_reward_error');
      assert.equal(value(await run('def grade(s, i):\n    return 1')), 1);
      assert.equal(sandbox.workersStarted, workers + 1, 'the stuck worker was replaced');
    });

    it('a host held up past the deadline and the grace still lets KeyboardInterrupt stop the loop, without a restart', async () => {
      const workers = sandbox.workersStarted;
      const pending = run('def grade(s, i):\n    while True:\n        pass', FAST);
      holdThisThread(FAST.timeoutMs + 1_500);
      assert.equal(failure(await pending).code, 'unresponsive_reward_error');
      assert.equal(value(await run('def grade(s, i):\n    return 1')), 1);
      assert.equal(sandbox.workersStarted, workers, 'the grace starts when the interrupt is sent: no restart was needed');
    });

    it('a loop that swallows the interrupt is terminated; the next call gets a fresh worker', async () => {
      const stubborn = 'def grade(s, i):\n    while True:\n        try:\n            while True:\n                pass\n        except BaseException:\n            pass';
      const workers = sandbox.workersStarted;
      assert.equal(failure(await run(stubborn, FAST)).code, 'unresponsive_reward_error');
      assert.equal(value(await run('def grade(s, i):\n    return 0.5')), 0.5);
      assert.equal(sandbox.workersStarted, workers + 1, 'the stubborn worker was replaced');
    });

    it('among many calls in flight, the ones that hang time out and the others score', async () => {
      const sources = Array.from({ length: 60 }, (_, i) =>
        i === 10
          ? 'def grade(s, i):\n    while True:\n        pass'
          : i === 40
            ? 'def grade(s, i):\n    while True:\n        try:\n            while True:\n                pass\n        except BaseException:\n            pass'
            : `def grade(s, i):\n    return ${i}`,
      );
      // Only the ones that hang have the short limit: the others are not timed (a busy machine may be slow to answer them).
      const outcomes = await Promise.all(sources.map((source, i) => run(source, i === 10 || i === 40 ? FAST : ROOMY)));
      outcomes.forEach((outcome, i) => (i === 10 || i === 40 ? assert.equal(failure(outcome).code, 'unresponsive_reward_error') : assert.equal(value(outcome), i)));
      assert.equal(failure(await run('def grade(s, i):\n    raise KeyboardInterrupt')).message, 'KeyboardInterrupt');
    });

    it('a memory bomb is stopped at the memory limit', async () => {
      const bomb = failure(await run('def grade(s, i):\n    keep = []\n    while True:\n        keep.append(bytearray(10**6))', { timeoutMs: 10_000, memoryMb: 256 }));
      assert.equal(bomb.code, 'memory_limit_error');
      assert.match(bomb.message, /256 MB/);
      assert.equal(failure(await run('def grade(s, i):\n    return len("x" * 10**9)')).code, 'memory_limit_error');
      assert.equal(value(await run('def grade(s, i):\n    return 1')), 1);
    });

    it('the memory limit is the one asked for: the heap never grows past the idle interpreter plus the limit', async () => {
      // A fresh worker: the heap a worker has grown to stays (WebAssembly memory does not shrink) and is reused.
      const fresh = await PythonSandbox.create();
      try {
        const forty = 'def grade(s, i):\n    return len(bytearray(40 * 2**20))';
        assert.equal(failure(await fresh.run(forty, sample, item, { timeoutMs: 10_000, memoryMb: 16 })).code, 'memory_limit_error');
        assert.equal(value(await fresh.run(forty, sample, item, { timeoutMs: 10_000, memoryMb: 64 })), 40 * 2 ** 20);
      } finally {
        await fresh.dispose();
      }
    });

    it('cannot import js, pyodide_js or pyodide, nor reach them with the blocker removed', async () => {
      for (const module of ['js', 'pyodide_js', 'pyodide', 'pyodide.ffi', 'pyodide.http', 'micropip']) {
        const outcome = failure(await run(`import ${module}\ndef grade(s, i):\n    return 1`));
        assert.equal(outcome.code, 'python_grader_runtime_error');
        assert.match(outcome.message, /is not available: python graders cannot reach JavaScript or the host/, module);
      }
      const unblocked = 'import sys\nsys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "_Blocker"]\n';
      assert.match(failure(await run(`${unblocked}import js\ndef grade(s, i):\n    return str(js)`)).message, /js is not available/);
      assert.match(failure(await run(`${unblocked}import pyodide_js\ndef grade(s, i):\n    return str(pyodide_js)`)).message, /pyodide_js is not available/);
    });

    it('a JavaScript object got hold of anyway cannot generate code or reach the host', async () => {
      // gc and _pyodide_core are blocked; with the blocker removed, to_js makes a real JavaScript array.
      const escape = [
        'import sys',
        'sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "_Blocker"]',
        'import _pyodide_core',
        'def grade(s, i):',
        '    array = _pyodide_core.to_js([1, 2])',
        '    out = [array.constructor.name]',
        '    for attempt in ("array.constructor.constructor(\'return process\')()", "array.map.constructor(\'return 1\')()"):',
        '        try:',
        '            out.append(str(eval(attempt)))',
        '        except Exception as error:',
        '            out.append(str(error).split(chr(10))[0])',
        '    return out',
      ].join('\n');
      const out = value(await run(escape)) as string[];
      assert.equal(out[0], 'Array');
      assert.match(out[1], /EvalError: code generation from strings is disabled/);
      assert.match(out[2], /EvalError: code generation from strings is disabled/);
    });

    it('has no host files: open("/etc/passwd") fails', async () => {
      const outcome = failure(await run('def grade(s, i):\n    return open("/etc/passwd").read()'));
      assert.equal(outcome.code, 'python_grader_runtime_error');
      assert.match(outcome.message, /^FileNotFoundError: .*'\/etc\/passwd' \(grader\.py line 2\)$/);
      assert.deepEqual(value(await run('import os\ndef grade(s, i):\n    return sorted(os.listdir("/"))')), ['dev', 'home', 'lib', 'proc', 'tmp']);
    });

    it('has no network: fetch, urllib, socket', async () => {
      assert.match(failure(await run('from pyodide.http import pyfetch\ndef grade(s, i):\n    return 1')).message, /pyodide is not available/);
      const urlopen = failure(await run('import urllib.request\ndef grade(s, i):\n    return urllib.request.urlopen("http://127.0.0.1:9/").read()'));
      assert.equal(urlopen.message, 'socket is not available: python graders have no network');
      assert.equal(failure(await run('import socket\ndef grade(s, i):\n    return 1')).message, 'socket is not available: python graders have no network');
      assert.match(failure(await run('import http.client\ndef grade(s, i):\n    return 1')).message, /socket is not available/);
    });

    it('cannot start processes', async () => {
      const marker = path.join(os.tmpdir(), `rft-sandbox-${process.pid}-${Date.now()}`);
      const system = failure(await run(`import os\ndef grade(s, i):\n    return os.system("touch ${marker}")`));
      assert.match(system.message, /^PermissionError: os\.system is not available/);
      assert.match(failure(await run('import subprocess\ndef grade(s, i):\n    return 1')).message, /subprocess is not available/);
      assert.match(failure(await run('import os\ndef grade(s, i):\n    os._exit(1)')).message, /os\._exit is not available/);
      assert.equal(fs.existsSync(marker), false);
    });

    it('deep recursion is an error; a C stack overflow restarts the worker; the next call works', async () => {
      const recursion = failure(await run('def grade(s, i):\n    def down(n):\n        return down(n + 1) + 1\n    return down(0)', ROOMY));
      assert.equal(recursion.code, 'python_grader_runtime_error');
      assert.match(recursion.message, /^RecursionError: maximum recursion depth exceeded/);
      const deeper = failure(await run('import sys\nsys.setrecursionlimit(10**6)\ndef grade(s, i):\n    def down(n):\n        return down(n + 1) + 1\n    return down(0)', ROOMY));
      assert.ok(['python_grader_runtime_error'].includes(deeper.code), deeper.code);
      assert.equal(value(await run('def grade(s, i):\n    return 0.75')), 0.75);
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
