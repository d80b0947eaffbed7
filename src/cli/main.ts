import { benchmarkCommand } from './commands/benchmark';
import { exportCommand, importCommand, initCommand, statusCommand } from './commands/dataset';
import { deployCommand } from './commands/deploy';
import { dryRunCommand } from './commands/dryRun';
import { extractCommand } from './commands/extract';
import { generateCommand } from './commands/generate';
import { fixCommand } from './commands/fix';
import { recordsCommand } from './commands/records';
import { jobCommand, jobsCommand } from './commands/jobs';
import { splitCommand } from './commands/split';
import { trainCommand } from './commands/train';
import { gradeCommand, graderCommand } from './commands/grader';
import { categorizeCommand, coverageCommand, topicsCommand } from './commands/topics';
import { validateCommand } from './commands/validate';
import { processOutput, type Output } from './output';
import { EXIT_OK, EXIT_USAGE, HELP } from './usage';

declare const RFT_VERSION: string | undefined;

const COMMANDS: Record<string, (argv: string[], output: Output) => Promise<number>> = {
  validate: validateCommand,
  fix: fixCommand,
  init: initCommand,
  import: importCommand,
  export: exportCommand,
  status: statusCommand,
  extract: extractCommand,
  topics: topicsCommand,
  categorize: categorizeCommand,
  coverage: coverageCommand,
  generate: generateCommand,
  records: recordsCommand,
  grader: graderCommand,
  grade: gradeCommand,
  'dry-run': dryRunCommand,
  split: splitCommand,
  train: trainCommand,
  jobs: jobsCommand,
  job: jobCommand,
  benchmark: benchmarkCommand,
  deploy: deployCommand,
};

/** Runs one `rft` invocation and returns its exit code; never throws. */
export async function runCli(argv: string[], output: Output = processOutput): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    output.out(HELP);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version') {
    output.out(`${typeof RFT_VERSION === 'string' ? RFT_VERSION : 'dev'}\n`);
    return EXIT_OK;
  }
  const command = COMMANDS[name];
  if (!command) {
    output.err(`rft: unknown command "${name}" (try: ${Object.keys(COMMANDS).join(', ')}, help)\n`);
    return EXIT_USAGE;
  }
  try {
    return await command(rest, output);
  } catch (error) {
    // Usage mistakes, unreadable paths and bad manifests all end here: one line, exit code 2.
    output.err(`rft ${name}: ${oneLine(error)}\n`);
    return EXIT_USAGE;
  }
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
