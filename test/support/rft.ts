// Runs the CLI from source in a child process, so tests see real exit codes and streams: node --import tsx test/support/rft.ts …
import { runCli } from '../../src/cli/main';

void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
