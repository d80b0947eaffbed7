// The test server for bench:dryrun in its own process (as a real API is): prints its base URL and key, then
// serves until stdin closes. Scripted answers: a third near each record's reference, a third off topic, a third short.
import { startOpenAiTestServer } from '../test/support/openaiServer';

const TOPICS = (process.env.RFT_BENCH_TOPICS ?? '').split(',');
const server = await startOpenAiTestServer({ latencyMs: Number(process.env.RFT_BENCH_LATENCY_MS ?? 200) });
let asked = 0;
server.onChat((request) => {
  const i = asked++;
  const topic = TOPICS.find((t) => JSON.stringify(request.messages).includes(t)) ?? 'none';
  return { content: i % 3 === 0 ? `Open Settings > ${topic} and follow the steps.` : i % 3 === 1 ? 'Please contact support.' : `Go to ${topic}.` };
});
process.stdout.write(`${JSON.stringify({ baseURL: server.baseURL, apiKey: server.apiKey })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  process.stdout.write(`${JSON.stringify({ chatRequests: server.requests.filter((r) => r.path === '/v1/chat/completions').length })}\n`);
  void server.close().then(() => process.exit(0));
});
