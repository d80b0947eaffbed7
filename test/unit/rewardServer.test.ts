import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { initDataset } from '../../src/core/dataset/initDataset';
import { createGradingEngine } from '../../src/core/grader/engine';
import { parseGraderText } from '../../src/core/grader/graderFile';
import type { Judge } from '../../src/core/grader/judge';
import { startRewardServer, type RewardServer } from '../../src/core/grader/rewardServer';
import { rftProcess } from '../support/runRft';

const exact = parseGraderText(JSON.stringify({ type: 'string_check', name: 'exact', input: '{{sample.output_text}}', reference: '{{item.answer}}', operation: 'eq' }));
const post = (server: RewardServer, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/score`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('reward server (rft grader serve)', () => {
  it('scores a batch in order, strings as samples, errors per item', async () => {
    const engine = createGradingEngine();
    const server = await startRewardServer({ grader: exact, engine, port: 0 });
    try {
      const response = await post(server, {
        items: [
          { item: { answer: 'a' }, sample: { output_text: 'a' } },
          { item: { answer: 'a' }, sample: 'b' },
          { item: {}, sample: 'a' },
        ],
      });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { rewards: [1, 0, 0], errors: [null, null, 'invalid_variable_error: {{item.answer}}: item.answer is missing'] });
      assert.deepEqual(await (await fetch(`${server.url}/health`)).json(), { ok: true, grader: 'exact', type: 'string_check' });
      assert.equal((await post(server, '{not json')).status, 400);
      assert.match(((await (await post(server, { items: [{ item: 1, sample: 'x' }] })).json()) as { error: string }).error, /items\[0\]\.item: expected an object/);
      assert.equal((await fetch(`${server.url}/score`)).status, 405);
    } finally {
      await server.close();
      await engine.dispose();
    }
  });

  it('bounds concurrency and batch size', async () => {
    let inFlight = 0;
    let peak = 0;
    const judge: Judge = {
      label: 'counting judge',
      async chat() {
        peak = Math.max(peak, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return '{"steps":[],"result":1}';
      },
    };
    const engine = createGradingEngine({ judge });
    const grader = parseGraderText(JSON.stringify({ type: 'score_model', name: 'j', model: 'm', input: [{ role: 'user', content: '{{sample.output_text}}' }] }));
    const server = await startRewardServer({ grader, engine, port: 0, concurrency: 3, maxBatch: 64 });
    try {
      const body = (await (await post(server, { items: Array.from({ length: 64 }, (_, i) => ({ item: {}, sample: `s${i}` })) })).json()) as { rewards: number[] };
      assert.equal(body.rewards.length, 64);
      assert.ok(body.rewards.every((reward) => reward === 1));
      assert.equal(peak, 3);
      assert.equal((await post(server, { items: Array.from({ length: 65 }, () => ({ item: {}, sample: 'x' })) })).status, 400);
    } finally {
      await server.close();
      await engine.dispose();
    }
  });

  it('refuses to bind beyond loopback without a token, and checks the token when it has one', async () => {
    const engine = createGradingEngine();
    await assert.rejects(startRewardServer({ grader: exact, engine, host: '0.0.0.0', port: 0 }), /refusing to serve rewards on 0\.0\.0\.0 without --token/);
    const server = await startRewardServer({ grader: exact, engine, host: '0.0.0.0', port: 0, token: 's3cret' });
    try {
      const url = server.url.replace('0.0.0.0', '127.0.0.1');
      const call = (headers: Record<string, string>) => fetch(`${url}/score`, { method: 'POST', headers, body: JSON.stringify({ items: [] }) });
      assert.equal((await call({})).status, 401);
      assert.equal((await call({ authorization: 'Bearer wrong!' })).status, 401);
      assert.equal((await call({ authorization: 'Bearer s3cret' })).status, 200);
    } finally {
      await server.close();
      await engine.dispose();
    }
  });

  it('answers a 100 MB body with a 413 and a JSON error, not a reset; the connection still serves', async function () {
    this.timeout(30_000);
    const engine = createGradingEngine();
    const server = await startRewardServer({ grader: exact, engine, port: 0 });
    try {
      const response = await fetch(`${server.url}/score`, { method: 'POST', body: Buffer.alloc(100 * 1024 * 1024, 0x20) });
      assert.equal(response.status, 413);
      assert.match(((await response.json()) as { error: string }).error, /the body is over 67108864 bytes \(64 MiB\)/);
      // no content-length: the body grows past the limit while being read
      let sent = 0;
      const chunked = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ === 8) controller.close();
          else controller.enqueue(new Uint8Array(1024 * 1024).fill(0x20));
        },
      });
      const small = await startRewardServer({ grader: exact, engine, port: 0, maxBodyBytes: 4 * 1024 * 1024 });
      try {
        const streamed = await fetch(`${small.url}/score`, { method: 'POST', body: chunked, duplex: 'half' } as RequestInit);
        assert.equal(streamed.status, 413);
      } finally {
        await small.close();
      }
      assert.equal((await post(server, { items: [] })).status, 200);
    } finally {
      await server.close();
      await engine.dispose();
    }
  });

  it('close() during a scoring answers the open request 503 and aborts the judge call at once', async () => {
    let aborted = false;
    const judge: Judge = {
      label: 'hanging judge',
      chat: (_request, signal) =>
        new Promise((_resolve, reject) =>
          signal?.addEventListener('abort', () => {
            aborted = true;
            reject(signal.reason);
          }),
        ),
    };
    const engine = createGradingEngine({ judge });
    const grader = parseGraderText(JSON.stringify({ type: 'score_model', name: 'j', model: 'm', input: [{ role: 'user', content: '{{sample.output_text}}' }] }));
    const server = await startRewardServer({ grader, engine, port: 0 });
    const pending = post(server, { items: [{ item: {}, sample: 'a' }] });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    await server.close();
    assert.ok(Date.now() - started < 10_000, `close took ${Date.now() - started} ms (the judge hangs forever unless aborted)`);
    const response = await pending;
    assert.equal(response.status, 503);
    assert.match(((await response.json()) as { error: string }).error, /shutting down; this request was not scored/);
    assert.ok(aborted, 'the judge call was aborted');
    await engine.dispose();
  });

  it('a runaway js pair (endless loop, memory bomb) at --concurrency 16 costs only its own pair', async function () {
    this.timeout(60_000);
    const source =
      'function grade(input) { if (input.response === "loop") { while (true) {} } if (input.response === "bomb") { const a = []; while (true) a.push("x".repeat(1e6)); } return input.response === input.item.answer ? 1 : 0.25 }';
    const grader = parseGraderText(JSON.stringify({ type: 'js', name: 'js', source }));
    const engine = createGradingEngine({ limits: { timeoutMs: 1000, memoryMb: 64 } });
    const server = await startRewardServer({ grader, engine, port: 0, concurrency: 16 });
    try {
      const samples = Array.from({ length: 40 }, (_, i) => (i % 10 === 3 ? 'bomb' : i % 10 === 7 ? 'loop' : i % 2 === 0 ? 'a' : 'b'));
      const body = (await (await post(server, { items: samples.map((sample) => ({ item: { answer: 'a' }, sample })) })).json()) as { rewards: number[]; errors: (string | null)[] };
      samples.forEach((sample, i) => {
        if (sample === 'loop') assert.match(body.errors[i] ?? '', /^unresponsive_reward_error/, `pair ${i}`);
        else if (sample === 'bomb') assert.match(body.errors[i] ?? '', /^(memory_limit_error|unresponsive_reward_error)/, `pair ${i}`);
        else assert.deepEqual([body.rewards[i], body.errors[i]], [sample === 'a' ? 1 : 0.25, null], `pair ${i} (${sample}) is not a runaway`);
      });
    } finally {
      await server.close();
      await engine.dispose();
    }
  });

  it('`rft grader serve` exits within a few seconds of SIGINT or SIGTERM while a judge request hangs', async function () {
    this.timeout(60_000);
    const hanging = http.createServer(() => undefined); // accepts the judge's request and never answers
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const ds = fs.mkdtempSync(path.join(os.tmpdir(), 'rft-serve-'));
    await initDataset(ds, { name: 'serve' });
    fs.writeFileSync(path.join(ds, 'grader.json'), JSON.stringify({ type: 'score_model', name: 'judge', model: 'gpt-4o-mini', input: [{ role: 'user', content: 'Rate: {{sample.output_text}}' }] }));
    const env = { ...process.env, OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/v1` };
    try {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        const child = spawn(process.execPath, rftProcess(['grader', 'serve', ds, '--port', '0']), { env });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        while (!/at (http:\S+)\/score/.test(stdout)) {
          if (child.exitCode !== null) assert.fail(`serve exited: ${stderr}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const url = /at (http:\S+)\/score/.exec(stdout)![1];
        const judged = new Promise<void>((resolve) => hanging.once('request', () => resolve()));
        const pending = fetch(`${url}/score`, { method: 'POST', body: JSON.stringify({ items: [{ item: {}, sample: 'hello' }] }) }).then(
          (response) => response.status,
          () => 'closed',
        );
        await judged;
        const started = Date.now();
        child.kill(signal);
        const code = await Promise.race([exited, new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 8000))]);
        const took = Date.now() - started;
        if (code === 'still running') child.kill('SIGKILL');
        assert.equal(code, 0, `${signal}: ${stderr}`);
        assert.ok(took < 8000, `${signal}: exited after ${took} ms`);
        assert.equal(await pending, 503, 'the open request is answered');
        assert.match(stderr, /stopping/);
      }
    } finally {
      hanging.closeAllConnections();
      hanging.close();
      fs.rmSync(ds, { recursive: true, force: true });
    }
  });
});
