// The Ray Jobs REST API of a cluster's dashboard (docs/training.md §Ray Jobs REST; ray/dashboard/modules/job/job_head.py): package
// upload to the GCS, submit, status, logs, stop. A bearer token goes in the Authorization header when the
// cluster has token auth.
import { createHash } from 'node:crypto';

export type RayJobStatus = 'PENDING' | 'RUNNING' | 'STOPPED' | 'SUCCEEDED' | 'FAILED';

export interface RayJobDetails {
  readonly type?: string;
  readonly job_id: string | null;
  readonly submission_id: string | null;
  readonly status: RayJobStatus;
  readonly entrypoint: string;
  readonly message: string | null;
  readonly error_type?: string | null;
  /** ms since the epoch */
  readonly start_time: number | null;
  readonly end_time: number | null;
  readonly metadata?: Record<string, string> | null;
  readonly runtime_env?: Record<string, unknown> | null;
  readonly driver_exit_code?: number | null;
}

export interface RayJobSubmission {
  readonly entrypoint: string;
  readonly submission_id?: string;
  readonly runtime_env?: Record<string, unknown>;
  readonly metadata?: Record<string, string>;
  readonly entrypoint_num_gpus?: number;
  readonly entrypoint_num_cpus?: number;
}

export class RayJobsError extends Error {
  constructor(
    message: string,
    /** The HTTP status, or undefined when the cluster could not be reached. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RayJobsError';
  }

  /** Worth another try: unreachable, or the dashboard failing for a moment. */
  get transient(): boolean {
    return this.status === undefined || this.status >= 500 || this.status === 429;
  }
}

/** `gcs://_ray_pkg_<sha1 of the zip>.zip`: the name Ray stores a working_dir package under. */
export function packageUri(zip: Buffer): string {
  return `gcs://_ray_pkg_${createHash('sha1').update(zip).digest('hex')}.zip`;
}

export class RayJobsClient {
  private readonly base: string;

  constructor(
    address: string,
    private readonly token?: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.base = address.replace(/\/+$/, '');
  }

  async packageExists(uri: string): Promise<boolean> {
    const response = await this.send('GET', packagePath(uri));
    if (response.status === 404) return false;
    await this.check(response, `checking package ${uri}`);
    return true;
  }

  async uploadPackage(uri: string, zip: Buffer): Promise<void> {
    await this.check(await this.send('PUT', packagePath(uri), zip, 'application/octet-stream'), `uploading package ${uri}`);
  }

  /** Uploads the package unless the cluster has it already; returns its URI. */
  async ensurePackage(zip: Buffer): Promise<string> {
    const uri = packageUri(zip);
    if (!(await this.packageExists(uri))) await this.uploadPackage(uri, zip);
    return uri;
  }

  async submitJob(submission: RayJobSubmission): Promise<{ job_id: string | null; submission_id: string }> {
    const response = await this.send('POST', '/api/jobs/', Buffer.from(JSON.stringify(submission)), 'application/json');
    return (await this.json(response, 'submitting the job')) as { job_id: string | null; submission_id: string };
  }

  async jobDetails(id: string): Promise<RayJobDetails> {
    return (await this.json(await this.send('GET', `/api/jobs/${encodeURIComponent(id)}`), `reading job ${id}`)) as RayJobDetails;
  }

  async jobLogs(id: string): Promise<string> {
    const body = (await this.json(await this.send('GET', `/api/jobs/${encodeURIComponent(id)}/logs`), `reading the logs of job ${id}`)) as { logs?: string };
    return body.logs ?? '';
  }

  async stopJob(id: string): Promise<boolean> {
    const body = (await this.json(await this.send('POST', `/api/jobs/${encodeURIComponent(id)}/stop`), `stopping job ${id}`)) as { stopped?: boolean };
    return body.stopped === true;
  }

  private async send(method: string, route: string, body?: Buffer, contentType?: string): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (contentType) headers['content-type'] = contentType;
    try {
      return await this.fetchImpl(`${this.base}${route}`, { method, headers, body });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new RayJobsError(`cannot reach the Ray dashboard at ${this.base}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
  }

  private async check(response: Response, doing: string): Promise<void> {
    if (response.ok) return;
    const text = (await response.text()).trim();
    if (response.status === 401 || response.status === 403) {
      throw new RayJobsError(
        `the Ray cluster refused the token (HTTP ${response.status}) ${doing}${this.token ? '' : ' — none was sent: set RFT_RAY_TOKEN'}${text ? `: ${firstLine(text)}` : ''}`,
        response.status,
      );
    }
    throw new RayJobsError(`the Ray dashboard answered HTTP ${response.status} ${doing}${text ? `: ${lastLine(text)}` : ''}`, response.status);
  }

  private async json(response: Response, doing: string): Promise<unknown> {
    await this.check(response, doing);
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      throw new RayJobsError(`the Ray dashboard answered ${doing} with something that is not JSON: ${firstLine(text).slice(0, 200)}`, response.status);
    }
  }
}

function packagePath(uri: string): string {
  const match = /^([a-z]+):\/\/(.+)$/.exec(uri);
  if (!match) throw new Error(`"${uri}" is not a package URI (protocol://name)`);
  return `/api/packages/${match[1]}/${encodeURIComponent(match[2])}`;
}

const firstLine = (text: string) => text.split('\n')[0];
// Ray answers a failure with a Python traceback: its last line says what went wrong.
const lastLine = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .pop() ?? '';
