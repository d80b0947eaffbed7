// A local, protocol-faithful Ray Jobs REST server (a Ray dashboard's job routes, ray/dashboard/modules/job/
// job_head.py) for tests: packages stored by URI (the sha1 in `_ray_pkg_<sha1>.zip` must be the bytes' sha1, and
// the bytes must be a zip it can read), submissions with Ray's statuses, moving one step per status read
// (PENDING → RUNNING → SUCCEEDED | FAILED, or STOPPED), scripted logs revealed as the job runs, a bearer token
// when configured, and Ray's plain-text 404s. Never shipped.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inflateRawSync } from 'node:zlib';

export type RayStatus = 'PENDING' | 'RUNNING' | 'STOPPED' | 'SUCCEEDED' | 'FAILED';

export interface RayJobScript {
  /** Log lines the job prints; `linesPerPoll` of them appear at each status read while it runs. */
  readonly logs?: readonly string[];
  readonly linesPerPoll?: number;
  /** How the job ends once every line is out. Default SUCCEEDED. */
  readonly outcome?: 'SUCCEEDED' | 'FAILED';
  readonly message?: string;
}

export interface RayLoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly bytes: number;
}

interface RayJob {
  readonly submissionId: string;
  readonly entrypoint: string;
  readonly runtimeEnv: Record<string, unknown> | null;
  readonly metadata: Record<string, string> | null;
  readonly script: Required<Omit<RayJobScript, 'message'>> & { message?: string };
  status: RayStatus;
  revealed: number;
  message: string | null;
  startTime: number;
  endTime: number | null;
}

export class RayJobsTestServer {
  readonly address: string;
  readonly requests: RayLoggedRequest[] = [];
  /** Uploaded packages by URI, with the files each holds (read back from the zip). */
  readonly packages = new Map<string, { bytes: Buffer; files: Map<string, Buffer> }>();
  readonly jobs = new Map<string, RayJob>();
  private nextScript: RayJobScript = {};
  private faults: { path: RegExp; status: number; remaining: number }[] = [];
  private counter = 0;

  private constructor(
    private readonly http: Server,
    private readonly token: string | undefined,
  ) {
    this.address = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  }

  static async start(options: { token?: string } = {}): Promise<RayJobsTestServer> {
    const http = createServer();
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(0, '127.0.0.1', () => resolve());
    });
    const server = new RayJobsTestServer(http, options.token);
    http.on('request', (request, response) => void server.handle(request, response));
    return server;
  }

  /** What the next submitted job prints and how it ends. */
  scriptNextJob(script: RayJobScript): void {
    this.nextScript = script;
  }

  /** The next `times` requests whose path matches answer `status` (a dashboard failing for a moment). */
  fault(path: RegExp, status: number, times = 1): void {
    this.faults.push({ path, status, remaining: times });
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeAllConnections();
    await closed;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]));
    let body: unknown;
    if (headers['content-type']?.includes('json')) {
      try {
        body = JSON.parse(bytes.toString('utf8'));
      } catch {
        body = undefined;
      }
    }
    this.requests.push({ method, path: url.pathname, headers, body, bytes: bytes.length });
    const reply = (status: number, payload: unknown) => {
      const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
      response.writeHead(status, { 'content-type': typeof payload === 'string' ? 'text/plain; charset=utf-8' : 'application/json' });
      response.end(text);
    };
    if (this.token !== undefined) {
      const given = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
      if (given === undefined) return reply(401, 'Unauthorized: Missing authentication token');
      if (given !== this.token) return reply(403, 'Forbidden: Invalid authentication token');
    }
    const fault = this.faults.find((candidate) => candidate.path.test(url.pathname));
    if (fault) {
      fault.remaining -= 1;
      if (fault.remaining === 0) this.faults = this.faults.filter((candidate) => candidate !== fault);
      return reply(fault.status, 'Traceback (most recent call last):\nRuntimeError: the dashboard failed (fault scheduled by the test)');
    }
    const [status, payload] = this.route(method, url.pathname, bytes, body);
    reply(status, payload);
  }

  private route(method: string, path: string, bytes: Buffer, body: unknown): [number, unknown] {
    if (method === 'GET' && path === '/api/version') return [200, { version: '4', ray_version: '2.49.0', ray_commit: 'test', session_name: 'session_test' }];
    const pkg = /^\/api\/packages\/([^/]+)\/([^/]+)$/.exec(path);
    if (pkg) {
      const uri = `${pkg[1]}://${decodeURIComponent(pkg[2])}`;
      if (method === 'GET') return this.packages.has(uri) ? [200, ''] : [404, `Package ${uri} does not exist`];
      if (method === 'PUT') return this.upload(uri, decodeURIComponent(pkg[2]), bytes);
    }
    if (method === 'POST' && path === '/api/jobs/') return this.submit(body);
    if (method === 'GET' && path === '/api/jobs/') return [200, [...this.jobs.values()].map((job) => this.details(job))];
    const job = /^\/api\/jobs\/([^/]+)(\/logs|\/stop)?$/.exec(path);
    if (job) {
      const found = this.jobs.get(decodeURIComponent(job[1]));
      if (!found) return [404, `Job ${decodeURIComponent(job[1])} does not exist`];
      if (method === 'GET' && job[2] === undefined) {
        this.advance(found);
        return [200, this.details(found)];
      }
      if (method === 'GET' && job[2] === '/logs')
        return [
          200,
          {
            logs: found.script.logs
              .slice(0, found.revealed)
              .map((line) => `${line}\n`)
              .join(''),
          },
        ];
      if (method === 'POST' && job[2] === '/stop') {
        if (found.status === 'SUCCEEDED' || found.status === 'FAILED' || found.status === 'STOPPED') return [200, { stopped: false }];
        found.status = 'STOPPED';
        found.message = 'Job was intentionally stopped.';
        found.endTime = Date.now();
        return [200, { stopped: true }];
      }
    }
    return [404, '404: Not Found'];
  }

  private upload(uri: string, name: string, bytes: Buffer): [number, unknown] {
    const hash = /^_ray_pkg_([0-9a-f]{40})\.zip$/.exec(name)?.[1];
    if (!hash) return [500, `Traceback (most recent call last):\nValueError: Invalid package URI ${uri}: expected _ray_pkg_<sha1>.zip`];
    const actual = createHash('sha1').update(bytes).digest('hex');
    if (actual !== hash) return [500, `Traceback (most recent call last):\nValueError: package ${uri} does not match its bytes (sha1 ${actual})`];
    let files: Map<string, Buffer>;
    try {
      files = readZip(bytes);
    } catch (error) {
      return [500, `Traceback (most recent call last):\nzipfile.BadZipFile: ${(error as Error).message}`];
    }
    this.packages.set(uri, { bytes, files });
    return [200, ''];
  }

  private submit(body: unknown): [number, unknown] {
    const request = body as { entrypoint?: unknown; submission_id?: unknown; runtime_env?: unknown; metadata?: unknown } | undefined;
    if (!request || typeof request.entrypoint !== 'string') return [400, 'Traceback (most recent call last):\nTypeError: JobSubmitRequest: entrypoint must be a string'];
    const submissionId = typeof request.submission_id === 'string' ? request.submission_id : `raysubmit_${(++this.counter).toString().padStart(16, '0')}`;
    if (this.jobs.has(submissionId)) return [400, `Traceback (most recent call last):\nValueError: Job with submission_id ${submissionId} already exists. Please use a different submission_id.`];
    const runtimeEnv = (request.runtime_env ?? null) as Record<string, unknown> | null;
    const script = this.nextScript;
    this.nextScript = {};
    const job: RayJob = {
      submissionId,
      entrypoint: request.entrypoint,
      runtimeEnv,
      metadata: (request.metadata ?? null) as Record<string, string> | null,
      script: { logs: script.logs ?? [], linesPerPoll: script.linesPerPoll ?? 1, outcome: script.outcome ?? 'SUCCEEDED', message: script.message },
      status: 'PENDING',
      revealed: 0,
      message: 'Job has not started yet. It may be waiting for resources (CPUs, GPUs, memory, custom resources) to become available.',
      startTime: Date.now(),
      endTime: null,
    };
    const workingDir = runtimeEnv?.working_dir;
    if (typeof workingDir === 'string' && workingDir.startsWith('gcs://') && !this.packages.has(workingDir)) {
      job.status = 'FAILED';
      job.message = `Failed to set up runtime environment: package ${workingDir} not found in the GCS`;
      job.endTime = Date.now();
    }
    this.jobs.set(submissionId, job);
    return [200, { job_id: submissionId, submission_id: submissionId }];
  }

  private advance(job: RayJob): void {
    if (job.status === 'PENDING') {
      job.status = 'RUNNING';
      job.message = 'Job is currently running.';
    } else if (job.status === 'RUNNING') {
      job.revealed = Math.min(job.script.logs.length, job.revealed + job.script.linesPerPoll);
      if (job.revealed >= job.script.logs.length) {
        job.status = job.script.outcome;
        job.message = job.script.message ?? (job.status === 'SUCCEEDED' ? 'Job finished successfully.' : 'Job entrypoint command failed with exit code 1');
        job.endTime = Date.now();
      }
    }
  }

  private details(job: RayJob) {
    return {
      type: 'SUBMISSION',
      job_id: job.submissionId,
      submission_id: job.submissionId,
      driver_info: null,
      status: job.status,
      entrypoint: job.entrypoint,
      message: job.message,
      error_type: job.status === 'FAILED' ? 'JOB_ENTRYPOINT_COMMAND_ERROR' : null,
      start_time: job.startTime,
      end_time: job.endTime,
      metadata: job.metadata,
      runtime_env: job.runtimeEnv,
      driver_agent_http_address: null,
      driver_node_id: null,
      driver_exit_code: job.status === 'FAILED' ? 1 : job.status === 'SUCCEEDED' ? 0 : null,
    };
  }
}

/** The files of a zip (stored or deflated entries), read from its central directory. */
export function readZip(bytes: Buffer): Map<string, Buffer> {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('File is not a zip file (no end of central directory)');
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    if (bytes.readUInt32LE(at) !== 0x02014b50) throw new Error(`Bad central directory entry ${n}`);
    const method = bytes.readUInt16LE(at + 10);
    const size = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extra = bytes.readUInt16LE(at + 30);
    const comment = bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataAt = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const data = bytes.subarray(dataAt, dataAt + size);
    files.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + extra + comment;
  }
  return files;
}
