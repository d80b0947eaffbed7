// `npm run demo`: the main job on the bundled example, no API key needed — its health report, then its pipeline.
// rft exits 1 when records are invalid (the example has some on purpose); only 2 (usage or I/O) is a failure here.
import { spawnSync } from 'node:child_process';

const dataset = 'examples/assistant-support';
for (const args of [['validate', dataset, '--max-issues', '20'], ['status', dataset]]) {
  console.log(`\n$ rft ${args.join(' ')}`);
  const { status } = spawnSync(process.execPath, ['bin/rft.js', ...args], { stdio: 'inherit' });
  if (status === null || status >= 2) process.exit(status ?? 2);
}
