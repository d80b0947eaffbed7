// OpenTelemetry traces as OTLP/JSON (`{resourceSpans:[{resource, scopeSpans:[{scope, spans}]}]}`, a file or one
// object per line, as the Collector's file exporter writes). A span is a model call when it carries GenAI
// semantic-convention data, in any of its generations:
//  - current: `gen_ai.input.messages` / `gen_ai.output.messages` / `gen_ai.system_instructions` (parts messages,
//    structured or JSON text), on the span or on a `gen_ai.client.inference.operation.details` event;
//  - event-based (semconv 1.27–1.36): span events `gen_ai.{system,user,assistant,tool}.message` and `gen_ai.choice`;
//  - semconv 1.26: events `gen_ai.content.prompt` / `gen_ai.content.completion` with JSON `gen_ai.prompt` / `gen_ai.completion`;
//  - indexed attributes (OpenLLMetry and older instrumentations): `gen_ai.prompt.{i}.role|content|tool_calls.{j}.*`,
//    `gen_ai.completion.{i}.*`, tools in `llm.request.functions.{i}.*`.
// OTLP logs (`{resourceLogs:[…]}`) are read too, since current SDKs emit the GenAI events as log records: the
// records of one export are grouped by span id into calls (records of one call exported in different batches
// cannot be joined, as each item is read on its own).
import type { AdapterOutput, TraceCall, TraceFileAdapter, TraceSkip } from '../traceCall';
import { encodeArguments, fromOtelParts, outputText, readMessages, readResponse, readTools, type TraceResponse } from './messages';
import { compactTags, decodeJson, detectBy, firstNumber, firstString, guarded, isPlainObject, skipOnly, timeField } from './shared';

type Obj = Record<string, unknown>;
type Attributes = Record<string, unknown>;

/** Operations that are one model call; agent, tool and embedding spans are not (their inner chat spans are). */
const CALL_OPERATIONS = new Set(['chat', 'text_completion', 'generate_content', 'completion']);
const MESSAGE_EVENTS: Record<string, string> = {
  'gen_ai.system.message': 'system',
  'gen_ai.user.message': 'user',
  'gen_ai.assistant.message': 'assistant',
  'gen_ai.tool.message': 'tool',
};
const DETAILS_EVENT = 'gen_ai.client.inference.operation.details';

function resourceSpansOf(item: unknown): unknown[] | undefined {
  if (!isPlainObject(item)) return undefined;
  const list = item.resourceSpans ?? item.resource_spans;
  return Array.isArray(list) ? list : undefined;
}

function resourceLogsOf(item: unknown): unknown[] | undefined {
  if (!isPlainObject(item)) return undefined;
  const list = item.resourceLogs ?? item.resource_logs;
  return Array.isArray(list) ? list : undefined;
}

export const otelAdapter: TraceFileAdapter = {
  kind: 'otel',
  detect: (sample) => detectBy(sample, (item) => resourceSpansOf(item) !== undefined || resourceLogsOf(item) !== undefined, 'an OTLP/JSON object with resourceSpans (or resourceLogs)'),
  read: (item, at) => guarded(at, () => readOtlp(item, at)),
};

function readOtlp(item: unknown, at: string): AdapterOutput {
  const resourceSpans = resourceSpansOf(item);
  const resourceLogs = resourceLogsOf(item);
  if (!resourceSpans && !resourceLogs) return skipOnly(at, 'not an OTLP/JSON object (no resourceSpans or resourceLogs array)');
  const calls: TraceCall[] = [];
  const skips: TraceSkip[] = [];
  const add = (output: AdapterOutput) => {
    calls.push(...output.calls);
    skips.push(...output.skips);
  };
  let count = 0;
  (resourceSpans ?? []).forEach((rs, r) => {
    if (!isPlainObject(rs)) return;
    const resource = attributesOf(isPlainObject(rs.resource) ? rs.resource.attributes : undefined);
    const scopes = rs.scopeSpans ?? rs.scope_spans ?? rs.instrumentationLibrarySpans;
    if (!Array.isArray(scopes)) return;
    scopes.forEach((scope, s) => {
      if (!isPlainObject(scope) || !Array.isArray(scope.spans)) return;
      scope.spans.forEach((span, k) => {
        count++;
        const spanId = isPlainObject(span) ? firstString(span.spanId, span.span_id) : undefined;
        const where = spanId ? `${at} span ${spanId}` : `${at} resourceSpans[${r}].scopeSpans[${s}].spans[${k}]`;
        add(guarded(where, () => readSpan(span, where, resource)));
      });
    });
  });
  if (resourceLogs) {
    const logs = readLogs(resourceLogs, at);
    count += logs.records;
    add(logs.output);
  }
  if (count === 0) return skipOnly(at, 'OTLP object without spans or log records');
  return { calls, skips };
}

/** OTLP AnyValue (`{stringValue}`, `{intValue:"42"}`, `{arrayValue:{values}}`, `{kvlistValue:{values}}`…) as plain JSON. */
export function decodeAnyValue(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  const v = value;
  if ('stringValue' in v || 'string_value' in v) return v.stringValue ?? v.string_value;
  if ('boolValue' in v || 'bool_value' in v) return v.boolValue ?? v.bool_value;
  if ('intValue' in v || 'int_value' in v) {
    const raw = v.intValue ?? v.int_value;
    const n = typeof raw === 'number' ? raw : Number(raw);
    return Number.isSafeInteger(n) ? n : raw;
  }
  if ('doubleValue' in v || 'double_value' in v) {
    const raw = v.doubleValue ?? v.double_value;
    return typeof raw === 'string' ? Number(raw) : raw;
  }
  if ('arrayValue' in v || 'array_value' in v) {
    const array = v.arrayValue ?? v.array_value;
    return isPlainObject(array) && Array.isArray(array.values) ? array.values.map(decodeAnyValue) : [];
  }
  if ('kvlistValue' in v || 'kvlist_value' in v) {
    const list = v.kvlistValue ?? v.kvlist_value;
    return isPlainObject(list) ? attributesOf(list.values) : {};
  }
  if ('bytesValue' in v || 'bytes_value' in v) return v.bytesValue ?? v.bytes_value;
  if (Object.keys(v).length === 0) return undefined;
  return value;
}

/** OTLP key-value lists (`[{key, value:{stringValue}}]`) as an object; a plain object map is taken as it is. */
function attributesOf(list: unknown): Attributes {
  const out: Attributes = {};
  if (Array.isArray(list)) {
    for (const entry of list) if (isPlainObject(entry) && typeof entry.key === 'string') out[entry.key] = decodeAnyValue(entry.value);
  } else if (isPlainObject(list)) {
    for (const [key, value] of Object.entries(list)) out[key] = decodeAnyValue(value);
  }
  return out;
}

type SpanEvent = { readonly name: string; readonly attributes: Attributes; readonly body: unknown };

function eventsOf(span: Obj): SpanEvent[] {
  if (!Array.isArray(span.events)) return [];
  return span.events.filter(isPlainObject).map((event) => ({
    name: typeof event.name === 'string' ? event.name : '',
    attributes: attributesOf(event.attributes),
    body: decodeAnyValue(event.body),
  }));
}

function readSpan(span: unknown, at: string, resource: Attributes): AdapterOutput {
  if (!isPlainObject(span)) return skipOnly(at, 'span is not an object');
  const attributes = attributesOf(span.attributes);
  const events = eventsOf(span);
  const hasGenAi = Object.keys(attributes).some((key) => key.startsWith('gen_ai.')) || events.some((event) => event.name.startsWith('gen_ai.'));
  if (!hasGenAi) return skipOnly(at, 'span without gen_ai attributes');
  return readGenAi(
    {
      attributes,
      events,
      resource,
      id: firstString(span.spanId, span.span_id),
      traceId: firstString(span.traceId, span.trace_id),
      start: span.startTimeUnixNano ?? span.start_time_unix_nano,
      name: firstString(span.name),
      failed: spanError(span.status),
    },
    at,
  );
}

/** Span status ERROR (OTLP/JSON writes the enum as 2, some exporters as its name): the status message, if any. */
function spanError(status: unknown): string | undefined {
  if (!isPlainObject(status)) return undefined;
  const code = status.code ?? status.status_code;
  if (code !== 2 && code !== 'STATUS_CODE_ERROR' && code !== 'ERROR') return undefined;
  return firstString(status.message) ?? 'span status ERROR';
}

/** What a model call is read from: a span (attributes + events) or a group of GenAI log records of one span. */
interface GenAiSource {
  readonly attributes: Attributes;
  readonly events: SpanEvent[];
  readonly resource: Attributes;
  readonly id?: string;
  readonly traceId?: string;
  readonly start?: unknown;
  readonly name?: string;
  /** The span's ERROR status, when it has one. */
  readonly failed?: string;
}

function readGenAi(source: GenAiSource, at: string): AdapterOutput {
  const { attributes, events, resource } = source;
  const operation = firstString(attributes['gen_ai.operation.name'], attributes['llm.request.type']);
  if (operation && !CALL_OPERATIONS.has(operation)) return skipOnly(at, `gen_ai span with operation ${operation} is not a chat or text completion`);

  // The opt-in details event carries the same attributes as the span would.
  const details = events.find((event) => event.name === DETAILS_EVENT);
  const attrs: Attributes = details ? { ...details.attributes, ...attributes } : attributes;

  const request = readRequest(attrs, events);
  if (request === undefined) return skipOnly(at, 'gen_ai span without message content (content capture off? see OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT)');
  if ('error' in request) return skipOnly(at, request.error);
  const response = readSpanResponse(attrs, events);
  const tools = readTools(attrs['gen_ai.tool.definitions']) ?? indexedTools(attrs);
  const model = firstString(attrs['gen_ai.request.model'], attrs['gen_ai.response.model']);
  // GenAI semconv: `error.type` is set when the operation ended in an error (spans and log records alike).
  const failed = source.failed ?? firstString(attrs['error.type']);
  const tags = compactTags({
    service: firstString(resource['service.name']),
    environment: firstString(attrs['deployment.environment.name'], attrs['deployment.environment'], resource['deployment.environment.name'], resource['deployment.environment']),
    user: firstString(attrs['user.id'], attrs['enduser.id'], attrs['gen_ai.user.id']),
    session: firstString(attrs['session.id'], attrs['gen_ai.conversation.id']),
    provider: firstString(attrs['gen_ai.provider.name'], attrs['gen_ai.system']),
    operation,
    name: source.name,
    prompt_tokens: firstNumber(attrs['gen_ai.usage.input_tokens'], attrs['gen_ai.usage.prompt_tokens']),
    completion_tokens: firstNumber(attrs['gen_ai.usage.output_tokens'], attrs['gen_ai.usage.completion_tokens']),
    total_tokens: firstNumber(attrs['llm.usage.total_tokens']),
  });
  return {
    calls: [
      {
        id: source.id ?? at,
        source: 'otel',
        ...(source.traceId ? { traceId: source.traceId } : {}),
        ...(model ? { model } : {}),
        ...timeField(source.start),
        messages: request.messages,
        ...(tools ? { tools } : {}),
        ...(response ? { response } : {}),
        ...(tags ? { tags } : {}),
        ...(failed ? { failed } : {}),
      },
    ],
    skips: [],
  };
}

/** Keys of an event's own body (when carried as attributes), not attributes of the call. */
const BODY_KEYS = new Set(['content', 'role', 'tool_calls', 'id', 'message', 'index', 'finish_reason', 'gen_ai.event.content', 'event.name']);

/**
 * OTLP log records: GenAI events (`eventName`, or the `event.name` attribute) grouped by span id, one call per
 * span; a record without a span id joins the records before it, up to a gen_ai.choice. Other records are skipped.
 */
function readLogs(resourceLogs: unknown[], at: string): { output: AdapterOutput; records: number } {
  type Group = { events: SpanEvent[]; attributes: Attributes; resource: Attributes; id?: string; traceId?: string; start?: unknown; at: string };
  const groups = new Map<string, Group>();
  const skips: TraceSkip[] = [];
  let records = 0;
  let anonymous = 0;
  resourceLogs.forEach((rl, r) => {
    if (!isPlainObject(rl)) return;
    const resource = attributesOf(isPlainObject(rl.resource) ? rl.resource.attributes : undefined);
    const scopes = rl.scopeLogs ?? rl.scope_logs ?? rl.instrumentationLibraryLogs;
    if (!Array.isArray(scopes)) return;
    scopes.forEach((scope, s) => {
      const list = isPlainObject(scope) ? (scope.logRecords ?? scope.log_records) : undefined;
      if (!Array.isArray(list)) return;
      list.forEach((record, k) => {
        records++;
        const where = `${at} resourceLogs[${r}].scopeLogs[${s}].logRecords[${k}]`;
        if (!isPlainObject(record)) {
          skips.push({ at: where, reason: 'log record is not an object' });
          return;
        }
        const attributes = attributesOf(record.attributes);
        const name = firstString(record.eventName, record.event_name, attributes['event.name']);
        if (!name || !name.startsWith('gen_ai.')) {
          skips.push({ at: where, reason: 'log record without a gen_ai event name' });
          return;
        }
        const spanId = firstString(record.spanId, record.span_id);
        const key = spanId ?? `record group ${anonymous}`;
        let group = groups.get(key);
        if (!group) {
          group = {
            events: [],
            attributes: {},
            resource,
            id: spanId,
            traceId: firstString(record.traceId, record.trace_id),
            start: record.timeUnixNano ?? record.time_unix_nano ?? record.observedTimeUnixNano,
            at: spanId ? `${at} span ${spanId}` : where,
          };
          groups.set(key, group);
        }
        group.events.push({ name, attributes, body: decodeAnyValue(record.body) });
        for (const [attribute, value] of Object.entries(attributes)) if (!BODY_KEYS.has(attribute) && group.attributes[attribute] === undefined) group.attributes[attribute] = value;
        if (!spanId && (name === 'gen_ai.choice' || name === DETAILS_EVENT)) anonymous++;
      });
    });
  });
  const outputs: AdapterOutput[] = [{ calls: [], skips }];
  for (const group of groups.values()) outputs.push(guarded(group.at, () => readGenAi(group, group.at)));
  return { output: { calls: outputs.flatMap((o) => o.calls), skips: outputs.flatMap((o) => o.skips) }, records };
}

/** The request messages by the first convention present; undefined when the span has none (content not captured). */
function readRequest(attrs: Attributes, events: SpanEvent[]): { messages: unknown[] } | { error: string } | undefined {
  const system = systemInstructions(attrs['gen_ai.system_instructions']);
  if (attrs['gen_ai.input.messages'] !== undefined) {
    const result = readMessages(attrs['gen_ai.input.messages'], 'gen_ai.input.messages');
    if ('error' in result) return result;
    return { messages: [...system, ...result.messages] };
  }
  const fromEvents = eventMessages(events);
  if (fromEvents.length > 0) return { messages: [...system, ...fromEvents] };
  const prompt = events.find((event) => event.name === 'gen_ai.content.prompt');
  if (prompt && prompt.attributes['gen_ai.prompt'] !== undefined) return readMessages(prompt.attributes['gen_ai.prompt'], 'gen_ai.prompt');
  const indexed = indexedMessages(attrs, 'gen_ai.prompt');
  if (indexed.length > 0) return { messages: [...system, ...indexed] };
  if (system.length > 0) return { messages: system };
  return undefined;
}

function systemInstructions(value: unknown): unknown[] {
  const decoded = decodeJson(value);
  if (typeof decoded === 'string') return decoded.trim() === '' ? [] : [{ role: 'system', content: decoded }];
  if (!Array.isArray(decoded) || decoded.length === 0) return [];
  return fromOtelParts('system', decoded);
}

function readSpanResponse(attrs: Attributes, events: SpanEvent[]): TraceResponse | undefined {
  if (attrs['gen_ai.output.messages'] !== undefined) return readResponse(attrs['gen_ai.output.messages']);
  const choices = events.filter((event) => event.name === 'gen_ai.choice').map(eventBody);
  if (choices.length > 0) {
    const first = choices.find((choice) => choice.index === undefined || Number(choice.index) === 0) ?? choices[0];
    const message = isPlainObject(first.message) ? first.message : first;
    return readResponse({ message: { ...message, ...toolCallsField(message.tool_calls) } });
  }
  const completion = events.find((event) => event.name === 'gen_ai.content.completion');
  if (completion && completion.attributes['gen_ai.completion'] !== undefined) return readResponse(completion.attributes['gen_ai.completion']);
  const indexed = indexedMessages(attrs, 'gen_ai.completion');
  return indexed.length > 0 ? readResponse(indexed[0]) : undefined;
}

/**
 * The body of an event-convention event. As a span event it has no log body, so instrumentations put it in
 * attributes: the body's fields themselves (`content`, `tool_calls`, `id`, `message`, `index`…) or a JSON
 * `gen_ai.event.content`; a `body` (copied from a log record) is read too.
 */
function eventBody(event: SpanEvent): Obj {
  if (isPlainObject(event.body)) return event.body;
  if (typeof event.body === 'string') return { content: event.body };
  const packed = decodeJson(event.attributes['gen_ai.event.content']);
  if (isPlainObject(packed)) return packed;
  return event.attributes;
}

function eventMessages(events: SpanEvent[]): unknown[] {
  const messages: unknown[] = [];
  let captured = false;
  for (const event of events) {
    const role = MESSAGE_EVENTS[event.name];
    if (!role) continue;
    const body = eventBody(event);
    if (body.content !== undefined || body.tool_calls !== undefined) captured = true;
    const message: Obj = { role: typeof body.role === 'string' ? body.role : role, content: body.content ?? (role === 'assistant' ? null : '') };
    if (message.content !== null && typeof message.content !== 'string' && !Array.isArray(message.content)) message.content = outputText(message.content);
    if (role === 'tool') {
      const id = firstString(body.id, body.tool_call_id);
      if (id) message.tool_call_id = id;
    }
    Object.assign(message, toolCallsField(body.tool_calls));
    messages.push(message);
  }
  return captured ? messages : [];
}

/** `tool_calls` in OpenAI form, arguments JSON-encoded (event bodies may hold them as objects). */
function toolCallsField(value: unknown): { tool_calls?: unknown[] } {
  const list = decodeJson(value);
  if (!Array.isArray(list) || list.length === 0) return {};
  return {
    tool_calls: list.map((call) => {
      if (!isPlainObject(call)) return call;
      const fn: Obj = isPlainObject(call.function) ? call.function : { name: call.name, arguments: call.arguments };
      return { ...(typeof call.id === 'string' ? { id: call.id } : {}), type: 'function', function: { name: fn.name, arguments: encodeArguments(fn.arguments) } };
    }),
  };
}

/** Messages from indexed attributes: `prefix.{i}.role`, `.content`, `.tool_call_id`, `.tool_calls.{j}.id|name|arguments`. */
function indexedMessages(attrs: Attributes, prefix: string): Obj[] {
  const indices = new Set<number>();
  const pattern = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d+)\\.`);
  for (const key of Object.keys(attrs)) {
    const match = pattern.exec(key);
    if (match) indices.add(Number(match[1]));
  }
  const messages: Obj[] = [];
  for (const i of [...indices].sort((a, b) => a - b)) {
    const at = (key: string) => attrs[`${prefix}.${i}.${key}`];
    const role = firstString(at('role')) ?? (prefix === 'gen_ai.completion' ? 'assistant' : 'user');
    const rawContent = at('content');
    const decoded = decodeJson(rawContent);
    const content = Array.isArray(decoded) ? decoded : rawContent === undefined ? null : typeof rawContent === 'string' ? rawContent : outputText(rawContent);
    const calls: unknown[] = [];
    for (let j = 0; at(`tool_calls.${j}.name`) !== undefined || at(`tool_calls.${j}.id`) !== undefined; j++) {
      const id = firstString(at(`tool_calls.${j}.id`));
      calls.push({ ...(id ? { id } : {}), type: 'function', function: { name: at(`tool_calls.${j}.name`), arguments: encodeArguments(at(`tool_calls.${j}.arguments`)) } });
    }
    const message: Obj = { role, content: content ?? (calls.length > 0 ? null : '') };
    if (calls.length > 0) message.tool_calls = calls;
    const toolCallId = firstString(at('tool_call_id'));
    if (toolCallId) message.tool_call_id = toolCallId;
    messages.push(message);
  }
  return messages;
}

/** OpenLLMetry's `llm.request.functions.{i}.name|description|parameters` as flat function tools. */
function indexedTools(attrs: Attributes): unknown[] | undefined {
  const tools: unknown[] = [];
  for (let i = 0; attrs[`llm.request.functions.${i}.name`] !== undefined; i++) {
    const tool: Obj = { type: 'function', name: attrs[`llm.request.functions.${i}.name`] };
    const description = attrs[`llm.request.functions.${i}.description`];
    if (typeof description === 'string') tool.description = description;
    const parameters = decodeJson(attrs[`llm.request.functions.${i}.parameters`]);
    if (isPlainObject(parameters)) tool.parameters = parameters;
    tools.push(tool);
  }
  return tools.length > 0 ? tools : undefined;
}
