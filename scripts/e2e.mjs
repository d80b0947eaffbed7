// `npm run test:e2e`: the packaged extension in a real VS Code (code-server) driven by Chromium.
// RFT_SKIP_E2E=1 skips it for quick local runs; CI runs it (npm test).
import { spawnSync } from 'node:child_process';
import { setupE2eOrExit } from './setup-e2e.mjs';

if (process.env.RFT_SKIP_E2E) {
  console.log('E2E tests skipped (RFT_SKIP_E2E is set).');
  process.exit(0);
}
setupE2eOrExit();
// Arguments go to mocha: `npm run test:e2e -- --grep "coverage dashboard"` runs only the tests whose titles match.
for (const [command, args] of [
  ['npm', ['run', '-s', 'package']],
  ['npx', ['mocha', '--config', 'test/e2e/.mocharc.json', ...process.argv.slice(2)]],
]) {
  const { status } = spawnSync(command, args, { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
