import { detectTraceFormat, TRACE_FILE_ADAPTERS } from './adapters';
import type { CallSource } from './extract';
import type { TraceFileAdapter, TraceSourceKind } from './traceCall';
import { forEachTraceItem, sampleTraceItems } from './traceItems';

/**
 * The adapter for a trace file: the named one (checked against the file), or the detected one. The error of a
 * failed detection names every format tried and why each did not match.
 */
export async function adapterForFile(file: string, kind: TraceSourceKind | 'auto'): Promise<TraceFileAdapter> {
  const sample = await sampleTraceItems(file);
  if (sample.length === 0) throw new Error(`${file} holds no JSON values`);
  if (kind === 'auto') {
    const detected = detectTraceFormat(sample);
    if ('error' in detected) throw new Error(detected.error);
    return detected.adapter;
  }
  const adapter = TRACE_FILE_ADAPTERS.find((candidate) => candidate.kind === kind);
  if (!adapter) throw new Error(`"${kind}" is not a file format (use --from with one of ${TRACE_FILE_ADAPTERS.map((a) => a.kind).join(', ')})`);
  const check = adapter.detect(sample);
  if (!check.ok) throw new Error(`${file} does not look like ${kind}: ${check.reason}`);
  return adapter;
}

/** A trace file as a call source, streamed item by item through its adapter. */
export function fileCalls(file: string, adapter: TraceFileAdapter, onBytes?: (bytes: number) => void): CallSource {
  return (sink, signal) =>
    forEachTraceItem(
      file,
      {
        onItem: (item, at) => {
          const { calls, skips } = adapter.read(item, at);
          for (const skip of skips) sink.skip(skip);
          for (const call of calls) sink.call(call);
        },
        onUnreadable: (at, reason) => sink.skip({ at, reason }),
      },
      { signal, onProgress: onBytes },
    );
}
