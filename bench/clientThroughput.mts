// The model client layer against the local test server: 200 ms latency per request, concurrency 32, so at best
// 32 / 0.2 s = 160 requests/s. Measures the sustained rate over 1,600 chat requests. Prints one JSON object.
import { ModelClient } from '../src/core/llm/modelClient';
import { startOpenAiTestServer } from '../test/support/openaiServer';

const LATENCY_MS = 200;
const CONCURRENCY = 32;
const REQUESTS = 1600;
const server = await startOpenAiTestServer({ latencyMs: LATENCY_MS });
try {
  const client = new ModelClient({ kind: 'openai', apiKey: server.apiKey, baseURL: server.baseURL }, { concurrency: CONCURRENCY });
  await client.chat({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'warm up' }] });
  server.reset();
  server.setLatency(LATENCY_MS); // reset() clears it
  const started = performance.now();
  await Promise.all(Array.from({ length: REQUESTS }, (_, i) => client.chat({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `request ${i}` }] })));
  const seconds = (performance.now() - started) / 1000;
  const bound = CONCURRENCY / (LATENCY_MS / 1000);
  const rate = REQUESTS / seconds;
  process.stdout.write(
    `${JSON.stringify({ requests: REQUESTS, latencyMs: LATENCY_MS, concurrency: CONCURRENCY, seconds: Math.round(seconds * 100) / 100, requestsPerSec: Math.round(rate * 10) / 10, boundPerSec: bound, ratio: Math.round((rate / bound) * 1000) / 1000 })}\n`,
  );
} finally {
  await server.close();
}
