// The python script-grader sandbox (docs/grader.md §Sandboxes): Pyodide in a worker thread; normal graders score right,
// the hostile corpus is contained and the next call works. (Split from graderSandbox.test.ts so the suites run side by side.)
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PythonSandbox } from '../../src/core/grader/sandbox/pythonSandbox';
import type { ScriptLimits } from '../../src/core/grader/sandbox/scriptLimits';

import { FAST, ROOMY, failure, holdThisThread, item, sample, value } from './graderSandboxSupport';

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
