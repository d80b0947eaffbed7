import * as assert from 'node:assert/strict';
import { createGradingEngine } from '../../src/core/grader/engine';
import { parseGraderText } from '../../src/core/grader/graderFile';
import type { Judge } from '../../src/core/grader/judge';
import { startRewardServer, type RewardServer } from '../../src/core/grader/rewardServer';

const exact = parseGraderText(JSON.stringify({ type: 'string_check', name: 'exact', input: '{{sample.output_text}}', reference: '{{item.answer}}', operation: 'eq' }));
const post = (server: RewardServer, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/score`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('reward server (rft grader serve)', () => {
  it('scores a batch in order, strings as samples, errors per item', async () => {
    const engine = createGradingEngine();
    const server = await startRewardServer({ grader: exact, engine, port: 0 });
    try {
      const response = await post(server, { items: [{ item: { answer: 'a' }, sample: { output_text: 'a' } }, { item: { answer: 'a' }, sample: 'b' }, { item: {}, sample: 'a' }] });
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
      const body = await (await post(server, { items: Array.from({ length: 64 }, (_, i) => ({ item: {}, sample: `s${i}` })) })).json() as { rewards: number[] };
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
});
