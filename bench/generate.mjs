// Deterministic benchmark dataset: OpenAI chat-format RFT records, streamed to disk. ~1 % invalid, ~0.5 % duplicates.
import * as fs from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';

/** Bump when the generated content changes, so a stale cached file is regenerated. */
export const GENERATOR_VERSION = 1;
const MIN_RECORDS = 500_000;
const MIN_BYTES = 300 * 2 ** 20;
const QUARTER_RECORDS = 125_000;

function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = `the a to and of in for on with my our your this that it is was be can could would should please help need want
order account invoice refund shipping delivery package tracking payment card subscription plan upgrade downgrade cancel
password login email address phone number billing charge receipt discount coupon warranty return exchange replacement
error bug crash timeout server database query index table column migration deploy build release version update install
function method class module import export test failing passing logs stack trace memory cpu latency request response
customer support agent manager team ticket issue priority urgent today tomorrow yesterday week month morning evening
weather forecast rain sunny temperature city flight hotel booking reservation trip train airport seat luggage schedule
recipe dinner lunch breakfast ingredients vegetarian oven minutes cups salt sugar butter garlic pasta rice chicken salad
explain summarize translate rewrite compare list describe calculate estimate check verify confirm find show tell write
quickly carefully briefly clearly again still already never always sometimes usually maybe really actually exactly
large small new old first last next previous different same important simple complex broken missing wrong correct`.split(/\s+/);
const SYSTEM_PROMPTS = [
  'You are a helpful customer support assistant for an online store. Be concise and polite.',
  'You are an expert software engineer. Answer with working code and a short explanation.',
  'You are a travel assistant. Use the available tools to look up live information before answering.',
  'You are a friendly cooking assistant. Give step-by-step instructions with quantities.',
  'You are a billing specialist. Never reveal full card numbers. Escalate disputes to a human agent.',
  'You answer questions about the company handbook. If unsure, say so and cite the section.',
];
const TOOLS = [
  { name: 'get_order_status', description: 'Look up the status of a customer order by its id.', props: { order_id: 'string', include_items: 'boolean' }, required: ['order_id'] },
  { name: 'get_weather', description: 'Get the current weather and a short forecast for a city.', props: { city: 'string', unit: 'string', days: 'integer' }, required: ['city'] },
  {
    name: 'search_flights',
    description: 'Search flights between two airports on a date.',
    props: { origin: 'string', destination: 'string', date: 'string', passengers: 'integer' },
    required: ['origin', 'destination', 'date'],
  },
  { name: 'create_ticket', description: 'Open a support ticket for a human agent.', props: { subject: 'string', priority: 'string', body: 'string' }, required: ['subject', 'body'] },
  { name: 'lookup_customer', description: 'Find a customer record by email address.', props: { email: 'string' }, required: ['email'] },
  { name: 'run_sql', description: 'Run a read-only SQL query against the analytics warehouse.', props: { query: 'string', limit: 'integer' }, required: ['query'] },
];
const CITIES = ['Paris', 'Berlin', 'Tokyo', 'Lisbon', 'Austin', 'Nairobi', 'Toronto', 'Seoul', 'Madrid', 'Oslo'];
const TOPICS = ['orders', 'billing', 'travel', 'coding', 'cooking', 'handbook', 'account'];

function createGenerator(seed) {
  const random = mulberry32(seed);
  const int = (min, max) => min + Math.floor(random() * (max - min + 1));
  const pick = (list) => list[Math.floor(random() * list.length)];
  const sentence = (min, max) => {
    const words = [];
    for (let n = int(min, max); n > 0; n--) words.push(pick(WORDS));
    const text = words.join(' ');
    return `${text[0].toUpperCase()}${text.slice(1)}${random() < 0.3 ? '?' : '.'}`;
  };
  const paragraph = (sentences, min, max) => Array.from({ length: sentences }, () => sentence(min, max)).join(' ');
  const userContent = (text) => (random() < 0.2 ? [{ type: 'text', text }] : text);
  const callId = () => `call_${Math.floor(random() * 2 ** 52).toString(36)}${Math.floor(random() * 2 ** 30).toString(36)}`;

  const toolDefinition = (tool) => ({
    type: 'function',
    function: {
      name: tool.name,
      description: tool.description,
      parameters: {
        type: 'object',
        properties: Object.fromEntries(Object.entries(tool.props).map(([key, type]) => [key, { type }])),
        required: tool.required,
      },
    },
  });
  const argumentsFor = (tool) => {
    const args = {};
    for (const [key, type] of Object.entries(tool.props)) {
      if (type === 'string') args[key] = key === 'city' ? pick(CITIES) : `${pick(WORDS)}-${int(100, 99999)}`;
      else if (type === 'integer') args[key] = int(1, 9);
      else args[key] = random() < 0.5;
    }
    return JSON.stringify(args);
  };

  const plain = () => [
    { role: 'system', content: pick(SYSTEM_PROMPTS) },
    { role: 'user', content: userContent(paragraph(int(2, 4), 5, 11)) },
  ];
  const multiTurn = () => {
    const messages = random() < 0.6 ? [{ role: 'system', content: pick(SYSTEM_PROMPTS) }] : [];
    for (let turns = int(1, 2); turns > 0; turns--) {
      messages.push({ role: 'user', content: userContent(sentence(5, 11)) });
      messages.push({ role: 'assistant', content: paragraph(int(1, 2), 5, 11) });
    }
    messages.push({ role: 'user', content: userContent(sentence(5, 11)) });
    return messages;
  };
  const withTools = () => {
    const tools = [];
    for (let n = random() < 0.85 ? 1 : 2; tools.length < n;) {
      const tool = pick(TOOLS);
      if (!tools.includes(tool)) tools.push(tool);
    }
    const called = tools.slice(0, random() < 0.8 ? 1 : tools.length);
    const calls = called.map((tool) => ({ id: callId(), type: 'function', function: { name: tool.name, arguments: argumentsFor(tool) } }));
    const messages = [
      { role: 'system', content: pick(SYSTEM_PROMPTS) },
      { role: 'user', content: userContent(sentence(5, 11)) },
      { role: 'assistant', content: null, tool_calls: calls },
      ...calls.map((call) => ({ role: 'tool', tool_call_id: call.id, content: JSON.stringify({ ok: true, result: sentence(4, 10) }) })),
    ];
    if (random() < 0.5) messages.push({ role: 'assistant', content: sentence(5, 11) });
    messages.push({ role: 'user', content: userContent(sentence(5, 11)) });
    return { messages, tools: tools.map(toolDefinition) };
  };

  /** One record; `kind` is 'valid' or the invalid variant it was made as. */
  return (index) => {
    const roll = random();
    const record = roll < 0.45 ? { messages: plain() } : roll < 0.8 ? { messages: multiTurn() } : withTools();
    if (random() < 0.85) record.reference_answer = sentence(5, 11);
    record.metadata = { id: `rec-${index}`, source: pick(['prod-logs', 'support-export', 'synthetic']), topic: pick(TOPICS), ts: 1_700_000_000 + index * 37 };
    if (random() >= 0.01) return { line: JSON.stringify(record), kind: 'valid' };
    const variant = int(0, 2);
    if (variant === 0) {
      const line = JSON.stringify(record);
      return { line: line.slice(0, int(10, line.length - 2)), kind: 'truncated' };
    }
    if (variant === 1) {
      record.messages.push({ role: 'assistant', content: sentence(5, 11) });
      return { line: JSON.stringify(record), kind: 'last_assistant' };
    }
    const { messages, tools } = withTools();
    messages.find((m) => m.role === 'tool').tool_call_id = callId();
    return { line: JSON.stringify({ ...record, messages, tools }), kind: 'orphan_tool' };
  };
}

/** Writes the dataset unless `file` already holds this generator's output; returns its metadata. */
export async function ensureDataset(file, quarterFile, seed = 20240601) {
  const metaFile = `${file}.meta.json`;
  let meta = readJson(metaFile);
  if (meta?.version !== GENERATOR_VERSION || meta.seed !== seed || sizeOf(file) !== meta.bytes) {
    meta = await generate(file, seed);
    fs.writeFileSync(metaFile, `${JSON.stringify(meta, null, 2)}\n`);
  } else {
    process.stderr.write(`reusing ${file} (${meta.records} records)\n`);
  }
  if (sizeOf(quarterFile) !== meta.quarterBytes) {
    await pipeline(fs.createReadStream(file, { end: meta.quarterBytes - 1 }), fs.createWriteStream(quarterFile));
  }
  return meta;
}

async function generate(file, seed) {
  const next = createGenerator(seed);
  const random = mulberry32(seed ^ 0x9e3779b9);
  const recent = []; // earlier valid lines, the source of duplicates
  const kinds = {};
  const tmp = `${file}.tmp`;
  const out = fs.createWriteStream(tmp);
  let records = 0;
  let bytes = 0;
  let quarterBytes = 0;
  let pending = '';
  while (records < MIN_RECORDS || bytes < MIN_BYTES) {
    let line;
    let kind;
    if (recent.length > 0 && random() < 0.005) {
      line = recent[Math.floor(random() * recent.length)];
      kind = 'duplicate';
    } else {
      ({ line, kind } = next(records));
      if (kind === 'valid') {
        if (recent.length < 4096) recent.push(line);
        else recent[Math.floor(random() * recent.length)] = line;
      }
    }
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    pending += `${line}\n`;
    bytes += Buffer.byteLength(line) + 1;
    records++;
    if (records === QUARTER_RECORDS) quarterBytes = bytes;
    if (pending.length >= 1 << 20) {
      if (!out.write(pending)) await once(out, 'drain');
      pending = '';
    }
    if (records % 100_000 === 0) process.stderr.write(`generated ${records} records, ${(bytes / 2 ** 20).toFixed(0)} MiB\n`);
  }
  out.end(pending);
  await once(out, 'finish');
  const fd = fs.openSync(tmp, 'r+'); // flush now so write-back does not disturb the timed runs
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
  return { version: GENERATOR_VERSION, seed, records, bytes, quarterRecords: QUARTER_RECORDS, quarterBytes, kinds };
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function sizeOf(file) {
  try {
    return fs.statSync(file).size;
  } catch {
    return -1;
  }
}
