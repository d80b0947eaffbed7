import { recordKey } from '../validation/recordKey';
import type { CallSource } from './extract';
import { filterReason, type TraceFilters } from './filters';
import { toPromptRecord, type PromptRecord } from './toPromptRecord';

export interface TraceScan {
  /** Calls found, and items skipped before becoming calls. */
  readonly calls: number;
  readonly unreadable: number;
  /** Calls per model ("(none)" when the source did not record one), most used first. */
  readonly models: [string, number][];
  readonly earliest?: string;
  readonly latest?: string;
}

/** One pass over a source for the wizard: how many calls, which models, what time range. */
export async function scanCalls(calls: CallSource, signal?: AbortSignal): Promise<TraceScan> {
  let count = 0;
  let unreadable = 0;
  const models = new Map<string, number>();
  let earliest: string | undefined;
  let latest: string | undefined;
  await calls(
    {
      skip: () => void unreadable++,
      call: (call) => {
        count++;
        const model = call.model ?? '(none)';
        models.set(model, (models.get(model) ?? 0) + 1);
        if (call.startTime) {
          if (!earliest || call.startTime < earliest) earliest = call.startTime;
          if (!latest || call.startTime > latest) latest = call.startTime;
        }
      },
    },
    signal,
  );
  return { calls: count, unreadable, models: [...models].sort((a, b) => b[1] - a[1]), earliest, latest };
}

export interface ExtractionPreview {
  readonly records: number;
  readonly duplicates: number;
  readonly skipped: Record<string, number>;
  readonly examples: PromptRecord[];
}

/** What an extraction with these filters would produce, without writing anything. */
export async function previewExtraction(calls: CallSource, filters: TraceFilters, examples = 5, signal?: AbortSignal): Promise<ExtractionPreview> {
  const keys = new Set<string>();
  const skipped: Record<string, number> = {};
  const kept: PromptRecord[] = [];
  let duplicates = 0;
  const skip = (reason: string) => void (skipped[reason] = (skipped[reason] ?? 0) + 1);
  await calls(
    {
      skip: (item) => skip(item.reason),
      call: (call) => {
        const filtered = filterReason(call, filters);
        if (filtered) return skip(filtered);
        const converted = toPromptRecord(call);
        if ('skip' in converted) return skip(converted.skip);
        const key = recordKey(converted.record, '');
        if (keys.has(key)) return void duplicates++;
        keys.add(key);
        if (kept.length < examples) kept.push(converted.record);
      },
    },
    signal,
  );
  const records = filters.sample !== undefined ? Math.min(filters.sample, keys.size) : keys.size;
  return { records: filters.limit !== undefined ? Math.min(filters.limit, records) : records, duplicates, skipped, examples: kept };
}
