import * as fs from 'node:fs';
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
import { fsProblem, isFsError } from '../core/fs/fsProblem';
import { processOutput, type Output } from './output';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, HELP } from './usage';

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
    return await command(withNegativeValuesAttached(rest), output);
  } catch (error) {
    const report = errorReport(name, error, rest);
    output.err(`${report.line}\n`);
    return report.code;
  }
}

/**
 * What reaches the top: usage mistakes, unreadable paths and bad manifests are one line and exit code 2; a
 * programming error is said to be one (exit 1), never shown as if it were about the user's input.
 */
export function errorReport(command: string, error: unknown, argv: readonly string[] = []): { line: string; code: number } {
  if (isInternalError(error))
    return { line: `rft ${command}: unexpected error, a bug in rft (please report it with the command line): ${error.name}: ${firstLine(error.message)}`, code: EXIT_INVALID };
  return { line: `rft ${command}: ${describeError(error, argv)}`, code: EXIT_USAGE };
}

/**
 * `--max-tokens -1` as `--max-tokens=-1`: node's parseArgs takes a value that starts with "-" for an option and
 * answers "argument is ambiguous"; attached, the value reaches the command, which says what the flag needs.
 */
export function withNegativeValuesAttached(argv: readonly string[]): string[] {
  const result: string[] = [];
  for (let at = 0; at < argv.length; at++) {
    const flag = argv[at];
    const next = argv[at + 1];
    if (/^--[^=]+$/.test(flag) && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      result.push(`${flag}=${next}`);
      at++;
    } else result.push(flag);
  }
  return result;
}

/**
 * One line: a file-system error as "<path>: what is wrong", anything else as its message. A read from a stream
 * fails without a path (EISDIR on read): then the folders among the arguments are the candidates.
 */
export function describeError(error: unknown, argv: readonly string[] = []): string {
  if (isFsError(error)) {
    const problem = fsProblem(error.code);
    // rename(tmp, target) fails on the target (a folder there), which node names as dest.
    const file = error.code === 'EISDIR' && error.dest ? error.dest : (error.path ?? error.dest);
    if (problem && file) return `${file}: ${problem}`;
    if (error.code === 'EISDIR') {
      const folders = argumentValues(argv).filter(isFolder);
      if (folders.length === 1) return `${folders[0]}: is a folder, not a file`;
      if (folders.length > 1) return `a folder was given where a file is needed (one of ${folders.join(', ')})`;
    }
  }
  return firstLine(error instanceof Error ? error.message : String(error));
}

/** The values of `--flag value`, `--flag=value` and positionals: everything that may be a path. */
function argumentValues(argv: readonly string[]): string[] {
  return argv.flatMap((arg) => (arg.startsWith('--') ? (arg.includes('=') ? [arg.slice(arg.indexOf('=') + 1)] : []) : [arg]));
}

function isFolder(candidate: string): boolean {
  try {
    return fs.statSync(candidate).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A programming error (ours or a library's): never shown as if it were the user's mistake. Node's own errors carry a
 * code (parseArgs' ERR_PARSE_ARGS_*, a bad --port's ERR_SOCKET_BAD_PORT) and are about the input: those stay usage.
 */
function isInternalError(error: unknown): error is Error {
  return (error instanceof TypeError || error instanceof ReferenceError || error instanceof RangeError) && (error as NodeJS.ErrnoException).code === undefined;
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}
