// TRL on this machine (issue 13 §3): the bundle's launch command as a local process in its own process group,
// wrapped by a shell that writes the exit code to a file, so whoever reads the job next — this process or a
// VS Code started again — knows how it ended. Metrics come from the JSONL file the bundle's callback writes
// (exports/trl/metrics.jsonl), read incrementally from the offset the job file keeps.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TrainingError, type BackendCapabilities, type TrainingBackend } from '../backend';
import { mergeMetrics, updated, type JobCheckpoint, type JobRecord, type LocalProcessInfo } from '../jobFile';
import { parseTrlMetricsLine, TRL_METRICS_FILE, type TrlMetricsLine } from '../bundles/trlMetrics';
import { engineMetricPoint, engineProgress } from './engineMetrics';
import { processAlive } from '../processAlive';

const CAPABILITIES: BackendCapabilities = { cancel: true, pause: false, resume: false };
const LOG_FILE = 'train.log';
const EXIT_FILE = 'exit_code';
/** The shell runs the command, then writes its exit code atomically (tmp + rename). */
const WRAPPER = '"$@"; code=$?; echo $code > "$RFT_EXIT_FILE.tmp" && mv "$RFT_EXIT_FILE.tmp" "$RFT_EXIT_FILE"; exit $code';

export interface TrlBackendOptions {
  /** Instead of the bundle's launch command (e.g. RFT_TRL_COMMAND); runs in the bundle folder. */
  readonly command?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

export function trlBackend(options: TrlBackendOptions = {}): TrainingBackend {
  return {
    id: 'trl',
    capabilities: CAPABILITIES,

    async launch(prepared, job, save) {
      const bundle = prepared.bundle;
      if (!bundle) throw new TrainingError('the trl backend needs the TRL bundle (exports/trl/)');
      const command = options.command && options.command.length > 0 ? options.command : bundle.launchCommand;
      if (command.length === 0) throw new TrainingError('the TRL bundle has no launch command');
      const info = {
        cwd: bundle.dir,
        command: [...command],
        logFile: path.join(bundle.dir, LOG_FILE),
        metricsFile: path.join(bundle.dir, TRL_METRICS_FILE),
        exitFile: path.join(bundle.dir, EXIT_FILE),
        metricsOffset: 0,
      };
      for (const stale of [info.metricsFile, info.exitFile]) await fs.promises.rm(stale, { force: true });
      const log = await fs.promises.open(info.logFile, 'a');
      let pid: number;
      try {
        const child = spawn('/bin/sh', ['-c', WRAPPER, 'rft-train', ...command], {
          cwd: bundle.dir,
          detached: true,
          stdio: ['ignore', log.fd, log.fd],
          env: { ...process.env, ...options.env, RFT_EXIT_FILE: info.exitFile },
        });
        pid = await new Promise<number>((resolve, reject) => {
          child.once('spawn', () => resolve(child.pid!));
          child.once('error', reject);
        });
        child.unref();
      } catch (error) {
        throw new TrainingError(`cannot start the TRL process (${command.join(' ')}): ${(error as Error).message}`);
      } finally {
        await log.close();
      }
      job = updated(job, {
        status: 'running',
        remoteId: String(pid),
        process: { pid, ...info },
        events: [...job.events, { at: new Date().toISOString(), level: 'info', message: `Started ${command.join(' ')} (pid ${pid}) in ${bundle.dir}` }],
      });
      await save(job);
      return job;
    },

    async poll(job) {
      const info = processOf(job);
      const { lines, offset } = await readMetrics(info);
      const epochs = typeof job.hyperparameters.n_epochs === 'number' ? job.hyperparameters.n_epochs : job.progress.totalEpochs;
      const progress = engineProgress(job.progress, lines, epochs, 'fraction');
      const points = lines.map((line) => engineMetricPoint(line, (line as TrlMetricsLine).time ?? new Date().toISOString()));
      const checkpoints = await findCheckpoints(info.cwd, Date.parse(job.createdAt));
      let next = updated(job, { process: { ...info, metricsOffset: offset }, progress, metrics: mergeMetrics(job.metrics, points), checkpoints });
      if (job.status === 'cancelled') return next;
      const exit = await exitCode(info.exitFile);
      if (exit === undefined) {
        if (processAlive(info.pid)) return updated(next, { status: 'running' });
        return updated(next, { status: 'failed', error: `the training process (pid ${info.pid}) ended without an exit code (killed, or the machine restarted); its output is in ${info.logFile}` });
      }
      if (exit === 0) {
        const newest = checkpoints.at(-1);
        return updated(next, {
          status: 'succeeded',
          resultModel: newest ? path.dirname(newest.model) : info.cwd,
          progress: { ...next.progress, ...(next.progress.totalSteps !== undefined ? { step: next.progress.totalSteps } : {}) },
        });
      }
      next = updated(next, { status: 'failed', error: `the training process exited with code ${exit}${await lastLogLine(info.logFile)}` });
      return next;
    },

    async cancel(job) {
      const info = processOf(job);
      if (processAlive(info.pid)) {
        try {
          process.kill(-info.pid, 'SIGTERM'); // the whole process group: accelerate's workers too
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
        }
      }
      return updated(job, { status: 'cancelled', events: [...job.events, { at: new Date().toISOString(), level: 'info', message: `Cancelled: sent SIGTERM to process group ${info.pid}` }] });
    },
  };
}

function processOf(job: JobRecord): LocalProcessInfo {
  if (!job.process) throw new TrainingError(`job ${job.id} has no process recorded (it never started)`);
  return job.process;
}

async function exitCode(file: string): Promise<number | undefined> {
  try {
    const code = Number((await fs.promises.readFile(file, 'utf8')).trim());
    return Number.isInteger(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

/** The complete lines written since `metricsOffset` (a line still being written waits for the next poll). */
async function readMetrics(info: LocalProcessInfo) {
  let bytes: Buffer;
  try {
    const handle = await fs.promises.open(info.metricsFile, 'r');
    try {
      const { size } = await handle.stat();
      bytes = Buffer.alloc(Math.max(0, size - info.metricsOffset));
      if (bytes.length > 0) await handle.read(bytes, 0, bytes.length, info.metricsOffset);
    } finally {
      await handle.close();
    }
  } catch {
    return { lines: [], offset: info.metricsOffset };
  }
  const end = bytes.lastIndexOf(0x0a);
  if (end < 0) return { lines: [], offset: info.metricsOffset };
  const lines = bytes
    .subarray(0, end)
    .toString('utf8')
    .split('\n')
    .map((line) => parseTrlMetricsLine(line))
    .filter((parsed): parsed is TrlMetricsLine => parsed !== undefined);
  return { lines, offset: info.metricsOffset + end + 1 };
}

/** Trainer checkpoints (`<output dir>/checkpoint-<step>`) one or two folders below the bundle, written since `sinceMs` (an earlier run's are not this job's). */
async function findCheckpoints(dir: string, sinceMs: number): Promise<JobCheckpoint[]> {
  const found: JobCheckpoint[] = [];
  const look = async (folder: string, depth: number) => {
    let items: fs.Dirent[];
    try {
      items = await fs.promises.readdir(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const item of items) {
      if (!item.isDirectory()) continue;
      const full = path.join(folder, item.name);
      const step = /^checkpoint-(\d+)$/.exec(item.name)?.[1];
      if (step !== undefined) {
        const stat = await fs.promises.stat(full);
        if (stat.mtimeMs < sinceMs - 1000) continue;
        found.push({ id: path.relative(dir, full), step: Number(step), model: full, at: stat.mtime.toISOString() });
      } else if (depth > 0) await look(full, depth - 1);
    }
  };
  await look(dir, 1);
  return found.sort((a, b) => a.step - b.step);
}

async function lastLogLine(file: string): Promise<string> {
  try {
    const handle = await fs.promises.open(file, 'r');
    try {
      const { size } = await handle.stat();
      const tail = Buffer.alloc(Math.min(size, 8192));
      await handle.read(tail, 0, tail.length, size - tail.length);
      const line = tail
        .toString('utf8')
        .split('\n')
        .filter((item) => item.trim() !== '')
        .pop();
      return line ? `: ${line.trim().slice(0, 500)}` : '';
    } finally {
      await handle.close();
    }
  } catch {
    return '';
  }
}
