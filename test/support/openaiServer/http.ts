import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalidRequest } from './errors';

/** What a route answers: a JSON value, raw bytes (file content), or server-sent events (a streamed completion). */
export type Reply =
  | { readonly kind: 'json'; readonly status: number; readonly value: unknown; readonly headers?: Record<string, string> }
  | { readonly kind: 'raw'; readonly status: number; readonly body: Buffer | string; readonly contentType: string }
  /** `ending`: `end` closes the response; `drop` destroys the connection mid-stream; `hold` leaves it open, silent. */
  | { readonly kind: 'stream'; readonly events: readonly string[]; readonly ending: 'end' | 'drop' | 'hold' };

export function json(value: unknown, status = 200, headers?: Record<string, string>): Reply {
  return { kind: 'json', status, value, headers };
}

export function raw(body: Buffer | string, contentType = 'application/octet-stream'): Reply {
  return { kind: 'raw', status: 200, body, contentType };
}

/** An uploaded file part of a multipart body. */
export interface UploadedPart {
  readonly filename: string;
  readonly content: Buffer;
}

/** A request body as the routes see it: JSON, or the fields and files of a multipart form. */
export type ParsedBody =
  { readonly kind: 'none' } | { readonly kind: 'json'; readonly value: unknown } | { readonly kind: 'form'; readonly fields: Record<string, string>; readonly files: Record<string, UploadedPart> };

export function readRequestBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

const UNPARSABLE_JSON =
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. " +
  'The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)';

export async function parseBody(bytes: Buffer, contentType: string | undefined): Promise<ParsedBody> {
  if (bytes.length === 0) return { kind: 'none' };
  if (contentType?.startsWith('multipart/form-data')) return parseMultipart(bytes, contentType);
  try {
    return { kind: 'json', value: JSON.parse(bytes.toString('utf8')) };
  } catch {
    throw invalidRequest(UNPARSABLE_JSON);
  }
}

// The WHATWG Response parses multipart exactly as browsers and the SDK's fetch encode it.
async function parseMultipart(bytes: Buffer, contentType: string): Promise<ParsedBody> {
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw invalidRequest('Could not parse the multipart/form-data body of your request.');
  }
  const fields: Record<string, string> = {};
  const files: Record<string, UploadedPart> = {};
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') fields[name] = value;
    else files[name] = { filename: value.name, content: Buffer.from(await value.arrayBuffer()) };
  }
  return { kind: 'form', fields, files };
}

export function sendReply(response: ServerResponse, reply: Reply, extraHeaders: Record<string, string>): void {
  if (response.destroyed || response.writableEnded) return;
  if (reply.kind === 'json') {
    const body = JSON.stringify(reply.value);
    response.writeHead(reply.status, { ...extraHeaders, ...reply.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  } else if (reply.kind === 'stream') {
    sendEvents(response, reply, extraHeaders);
  } else {
    response.writeHead(reply.status, { ...extraHeaders, 'content-type': reply.contentType, 'content-length': Buffer.byteLength(reply.body) });
    response.end(reply.body);
  }
}

function sendEvents(response: ServerResponse, reply: Extract<Reply, { kind: 'stream' }>, extraHeaders: Record<string, string>): void {
  response.writeHead(200, { ...extraHeaders, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  for (const event of reply.events) response.write(`data: ${event}\n\n`);
  if (reply.ending === 'end') response.end();
  // The events written are flushed first, so the client reads them before the connection drops.
  else if (reply.ending === 'drop') response.write('', () => response.destroy());
  else response.flushHeaders(); // hold: the headers and events so far go out, the response stays open
}
