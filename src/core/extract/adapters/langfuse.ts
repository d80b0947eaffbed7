// Langfuse: (a) ingestion batches `{batch:[{type, body}]}` as SDKs and LiteLLM send them to /api/public/ingestion
// (also one event per line), where a generation is its generation-create merged with its generation-update
// events; (b) observations as the public API and exports return them — one per line, in an API page
// `{data:[…]}` (v1, or v2 with its field groups: `model`/`providedModelName`, `inputUsage`…), or in a trace
// `{…, observations:[…]}` — of which the GENERATION ones are model calls.
import type { AdapterOutput, TraceFileAdapter, TraceSkip } from '../traceCall';
import { readRequestBody, readResponse, readTools } from './messages';
import { compactTags, decodeJson, describeType, detectBy, firstNumber, firstString, guarded, isPlainObject, mergeOutputs, notAnObject, scalarEntries, skipOnly, stringList, timeField } from './shared';

type Obj = Record<string, unknown>;
/** What a trace contributes to its generations (trace-create body, or the trace around `observations`). */
type TraceInfo = { readonly id?: string; readonly tags: Obj };

const OBSERVATION_TYPE = /^[A-Z][A-Z_]*$/; // GENERATION, SPAN, EVENT, AGENT, TOOL, …
const EVENT_TYPE = /^[a-z]+(-[a-z]+)*$/; // trace-create, generation-update, sdk-log, …
const GENERATION_EVENTS = new Set(['generation-create', 'generation-update']);
const OBSERVATION_EVENTS = new Set(['observation-create', 'observation-update']);

function isObservation(item: unknown): item is Obj {
  return isPlainObject(item) && typeof item.id === 'string' && typeof item.type === 'string' && OBSERVATION_TYPE.test(item.type) && ('traceId' in item || 'startTime' in item);
}

function isIngestionEvent(item: unknown): boolean {
  return isPlainObject(item) && typeof item.type === 'string' && EVENT_TYPE.test(item.type) && item.type.includes('-') && isPlainObject(item.body);
}

function isLangfuseItem(item: unknown): boolean {
  if (!isPlainObject(item)) return false;
  if (Array.isArray(item.batch)) return item.batch.some(isIngestionEvent);
  if (Array.isArray(item.data)) return item.data.some(isObservation);
  if (Array.isArray(item.observations)) return true;
  return isIngestionEvent(item) || isObservation(item);
}

export const langfuseAdapter: TraceFileAdapter = {
  kind: 'langfuse',
  detect: (sample) =>
    detectBy(sample, isLangfuseItem, 'a Langfuse ingestion batch ({batch:[{type, body}]}), ingestion event, or observation ({id, traceId, type:"GENERATION", startTime}, alone or in {data:[…]})'),
  read: (item, at) => guarded(at, () => readLangfuse(item, at)),
};

function readLangfuse(item: unknown, at: string): AdapterOutput {
  if (!isPlainObject(item)) return notAnObject(at, item);
  if (Array.isArray(item.batch)) return readEvents(item.batch, at, (i) => `${at} batch[${i}]`);
  if (isIngestionEvent(item)) return readEvents([item], at, () => at);
  if (Array.isArray(item.data)) {
    return mergeOutputs(item.data.map((entry, i) => readObservation(entry, `${at} data[${i}]`, undefined)));
  }
  if (Array.isArray(item.observations)) {
    const trace = traceInfo(item);
    return mergeOutputs(item.observations.map((entry, i) => readObservation(entry, `${at} observations[${i}]`, trace)));
  }
  if (isObservation(item)) return readObservation(item, at, undefined);
  return skipOnly(at, 'not a Langfuse batch, ingestion event or observation');
}

function traceInfo(trace: Obj): TraceInfo {
  return {
    id: firstString(trace.id),
    tags: {
      user: firstString(trace.userId),
      session: firstString(trace.sessionId),
      tags: stringList(trace.tags),
      environment: firstString(trace.environment),
      release: firstString(trace.release),
      trace_name: firstString(trace.name),
    },
  };
}

/** Ingestion events: generations merged by id (create, then updates in order); every other event is reported. */
function readEvents(events: readonly unknown[], at: string, eventAt: (i: number) => string): AdapterOutput {
  const traces = new Map<string, TraceInfo>();
  const generations = new Map<string, { body: Obj; at: string }>();
  const skips: TraceSkip[] = [];
  events.forEach((event, i) => {
    if (!isPlainObject(event) || typeof event.type !== 'string' || !isPlainObject(event.body)) {
      skips.push({ at: eventAt(i), reason: 'not an ingestion event ({type, body})' });
      return;
    }
    const body = event.body;
    if (event.type === 'trace-create') {
      const trace = traceInfo(body);
      if (trace.id) traces.set(trace.id, trace);
      skips.push({ at: eventAt(i), reason: 'trace-create event (a trace, not a model call)' });
      return;
    }
    const isGeneration = GENERATION_EVENTS.has(event.type) || (OBSERVATION_EVENTS.has(event.type) && body.type === 'GENERATION');
    if (!isGeneration) {
      skips.push({ at: eventAt(i), reason: `${event.type} event is not a generation` });
      return;
    }
    const id = firstString(body.id);
    if (!id) {
      skips.push({ at: eventAt(i), reason: `${event.type} event without a body.id` });
      return;
    }
    const known = generations.get(id);
    if (known) known.body = { ...known.body, ...definedEntries(body) };
    else generations.set(id, { body, at: eventAt(i) });
  });
  // A generation without traceId in a batch holding one trace belongs to it (LiteLLM's batches look so).
  const onlyTrace = traces.size === 1 ? [...traces.values()][0] : undefined;
  const outputs: AdapterOutput[] = [{ calls: [], skips }];
  for (const { body, at: where } of generations.values()) {
    const traceId = firstString(body.traceId);
    outputs.push(readGeneration(body, where, (traceId ? traces.get(traceId) : onlyTrace) ?? (traceId ? { id: traceId, tags: {} } : undefined)));
  }
  const merged = mergeOutputs(outputs);
  return merged.calls.length === 0 && merged.skips.length === 0 ? skipOnly(at, 'empty batch') : merged;
}

function definedEntries(body: Obj): Obj {
  const out: Obj = {};
  for (const [key, value] of Object.entries(body)) if (value !== undefined && value !== null) out[key] = value;
  return out;
}

function readObservation(item: unknown, at: string, trace: TraceInfo | undefined): AdapterOutput {
  if (!isObservation(item)) return skipOnly(at, 'not a Langfuse observation ({id, type, traceId, startTime})');
  if (item.type !== 'GENERATION') return skipOnly(at, `observation of type ${item.type as string} is not a generation`);
  return readGeneration(item, at, trace);
}

function readGeneration(generation: Obj, at: string, trace: TraceInfo | undefined): AdapterOutput {
  const input = decodeJson(generation.input);
  if (input === undefined || input === null) return skipOnly(at, 'generation without input (was input capture off?)');
  let messages: unknown[];
  let tools: unknown[] | undefined;
  if (typeof input === 'string') {
    if (input.trim() === '') return skipOnly(at, 'generation input is an empty string');
    messages = [{ role: 'user', content: input }];
  } else if (Array.isArray(input) || isPlainObject(input)) {
    const body = readRequestBody(Array.isArray(input) ? { messages: input } : input, 'input');
    if ('error' in body) return skipOnly(at, Array.isArray(input) ? body.error.replace('input.messages', 'input') : body.error);
    messages = body.messages;
    tools = body.tools;
  } else {
    return skipOnly(at, `generation input is ${describeType(input)}, not messages or text`);
  }
  const metadata = decodeJson(generation.metadata);
  tools ??= readTools(isPlainObject(metadata) ? metadata.tools : undefined);
  const response = readResponse(generation.output);
  const usage: Obj = isPlainObject(generation.usage) ? generation.usage : {};
  const usageDetails: Obj = isPlainObject(generation.usageDetails) ? generation.usageDetails : {};
  const costDetails: Obj = isPlainObject(generation.costDetails) ? generation.costDetails : {};
  const traceId = firstString(generation.traceId, trace?.id);
  const model = firstString(generation.model, generation.providedModelName);
  const tags = compactTags({
    ...scalarEntries(metadata),
    ...(trace?.tags ?? {}),
    user: firstString(generation.userId, trace?.tags.user),
    session: firstString(generation.sessionId, trace?.tags.session),
    environment: firstString(generation.environment, trace?.tags.environment),
    name: firstString(generation.name),
    level: generation.level === 'DEFAULT' ? undefined : firstString(generation.level),
    prompt_name: firstString(generation.promptName),
    // v1 and exports: calculatedTotalCost / promptTokens …; v2's `usage` group: the same sums as totalCost / inputUsage …
    cost: firstNumber(generation.calculatedTotalCost, generation.totalCost, costDetails.total, usage.totalCost, generation.totalPrice),
    prompt_tokens: firstNumber(generation.promptTokens, generation.inputUsage, usageDetails.input, usage.input, usage.promptTokens),
    completion_tokens: firstNumber(generation.completionTokens, generation.outputUsage, usageDetails.output, usage.output, usage.completionTokens),
    total_tokens: firstNumber(generation.totalTokens, generation.totalUsage, usageDetails.total, usage.total, usage.totalTokens),
  });
  return {
    calls: [
      {
        id: firstString(generation.id) ?? at,
        source: 'langfuse',
        ...(traceId ? { traceId } : {}),
        ...(model ? { model } : {}),
        ...timeField(generation.startTime),
        messages,
        ...(tools ? { tools } : {}),
        ...(response ? { response } : {}),
        ...(tags ? { tags } : {}),
        ...(generation.level === 'ERROR' ? { failed: firstString(generation.statusMessage) ?? 'level ERROR' } : {}),
      },
    ],
    skips: [],
  };
}
