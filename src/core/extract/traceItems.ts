import * as fs from 'node:fs';
import { LineSplitter } from '../jsonl/lineSplitter';
import { isBlankLine } from '../validation/lineValidator';

/** A JSON array or a single pretty-printed JSON document is parsed whole; bigger ones must be JSONL. */
const WHOLE_JSON_LIMIT = 256 * 1024 * 1024;
const MAX_LINE_BYTES = 64 * 1024 * 1024;

export interface TraceItemHandlers {
  /** A top-level JSON value and where it is ("line 12", "item 3"). */
  onItem(item: unknown, at: string): void;
  /** A part of the file that is not JSON, and why; counted as a skip. */
  onUnreadable(at: string, reason: string): void;
}

/**
 * Streams the top-level JSON values of a trace file: each line of a JSONL file, the elements of a JSON array,
 * or the one value of a (possibly pretty-printed) JSON document. JSONL is never read whole.
 */
export async function forEachTraceItem(file: string, handlers: TraceItemHandlers, options: { signal?: AbortSignal; onProgress?: (bytes: number) => void } = {}): Promise<void> {
  const shape = await fileShape(file);
  if (shape === 'jsonl') return forEachLine(file, handlers, options);
  const stat = await fs.promises.stat(file);
  if (stat.size > WHOLE_JSON_LIMIT) throw new Error(`${file} is a single JSON document of ${Math.round(stat.size / 1048576)} MB; export it as JSONL (one call per line) to read it in a stream`);
  let value: unknown;
  try {
    value = JSON.parse(await fs.promises.readFile(file, 'utf8'));
  } catch (error) {
    handlers.onUnreadable('file', `not JSON or JSONL: ${(error as Error).message}`);
    return;
  }
  options.onProgress?.(stat.size);
  if (Array.isArray(value)) value.forEach((item, index) => handlers.onItem(item, `item ${index + 1}`));
  else handlers.onItem(value, 'document');
}

/** The first few items, for format detection. */
export async function sampleTraceItems(file: string, count = 20): Promise<unknown[]> {
  const sample: unknown[] = [];
  const controller = new AbortController();
  try {
    const onItem = (item: unknown) => {
      if (sample.length < count) sample.push(item);
      if (sample.length >= count) controller.abort();
    };
    await forEachTraceItem(file, { onItem, onUnreadable: () => undefined }, { signal: controller.signal });
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  }
  return sample;
}

/** JSONL when the first non-blank line is a complete JSON value on its own; otherwise one JSON document. */
async function fileShape(file: string): Promise<'jsonl' | 'document'> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const head = Buffer.alloc(1 << 20);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const text = head
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    if (text.trimStart().startsWith('[')) return 'document';
    const firstLine = text.split('\n').find((line) => !isBlankLine(line)) ?? '';
    try {
      JSON.parse(firstLine);
      return 'jsonl';
    } catch {
      return 'document';
    }
  } finally {
    await handle.close();
  }
}

async function forEachLine(file: string, handlers: TraceItemHandlers, options: { signal?: AbortSignal; onProgress?: (bytes: number) => void }): Promise<void> {
  const splitter = new LineSplitter(MAX_LINE_BYTES, (line) => {
    const at = `line ${line.lineNumber}`;
    if (line.tooLong) return handlers.onUnreadable(at, `longer than ${MAX_LINE_BYTES / 1048576} MB`);
    if (line.invalidUtf8) return handlers.onUnreadable(at, 'not valid UTF-8');
    if (isBlankLine(line.text)) return;
    let item: unknown;
    try {
      item = JSON.parse(line.text);
    } catch (error) {
      return handlers.onUnreadable(at, `invalid JSON: ${(error as Error).message}`);
    }
    handlers.onItem(item, at);
  });
  let done = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20, signal: options.signal }) as AsyncIterable<Buffer>) {
    splitter.push(chunk);
    done += chunk.length;
    options.onProgress?.(done);
  }
  splitter.end();
}
