import * as assert from 'node:assert/strict';
import OpenAI, { APIConnectionTimeoutError, AuthenticationError, BadRequestError, InternalServerError, NotFoundError, RateLimitError, toFile } from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import { startOpenAiTestServer, type OpenAiTestServer } from '../support/openaiServer';

type Grader = OpenAI.FineTuning.Alpha.GraderRunParams['grader'];
/** The API takes a multi grader's `graders` as a map by name; the SDK declares a single grader. */
const multiGrader = (grader: { name: string; calculate_output: string; graders: Record<string, Grader> }) => ({ type: 'multi', ...grader }) as unknown as Grader;

const jsonl = (lines: unknown[]) => lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n';

describe('OpenAI test server', () => {
  let server: OpenAiTestServer;
  let client: OpenAI;

  before(async () => {
    server = await startOpenAiTestServer();
    client = new OpenAI({ baseURL: server.baseURL, apiKey: server.apiKey, maxRetries: 0 });
  });
  afterEach(() => server?.reset());
  after(() => server?.close()); // server is undefined when `before` failed

  const upload = async (name: string, content: string, purpose: OpenAI.FilePurpose) => client.files.create({ file: await toFile(Buffer.from(content), name), purpose });

  describe('chat completions', () => {
    it('echoes the last user message, with id, created, model, usage and finish_reason', async () => {
      const completion = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'text', text: 'What is RFT?' }] },
        ],
        temperature: 0,
      });
      assert.match(completion.id, /^chatcmpl-/);
      assert.equal(completion.object, 'chat.completion');
      assert.equal(completion.model, 'gpt-4o-mini');
      assert.ok(Math.abs(completion.created - Date.now() / 1000) < 5);
      assert.equal(completion.choices[0].message.content, 'echo: What is RFT?');
      assert.equal(completion.choices[0].finish_reason, 'stop');
      const usage = completion.usage!;
      assert.ok(usage.prompt_tokens > 0 && usage.completion_tokens > 0);
      assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
      assert.match(completion._request_id ?? '', /^req_/);
    });

    it('calls a required tool with arguments built from its parameter schema', async () => {
      const tools: OpenAI.ChatCompletionTool[] = [
        {
          type: 'function',
          function: {
            name: 'lookup_order',
            parameters: {
              type: 'object',
              properties: { order_id: { type: 'string' }, quantity: { type: 'integer', minimum: 1 }, rush: { type: 'boolean' }, channel: { enum: ['web', 'phone'] } },
              required: ['order_id', 'quantity', 'channel'],
            },
          },
        },
      ];
      const required = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'where is my order?' }], tools, tool_choice: 'required' });
      const call = required.choices[0].message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall;
      assert.equal(required.choices[0].finish_reason, 'tool_calls');
      assert.equal(required.choices[0].message.content, null);
      assert.match(call.id, /^call_/);
      assert.equal(call.function.name, 'lookup_order');
      assert.deepEqual(JSON.parse(call.function.arguments), { order_id: 'x', quantity: 1, channel: 'web' });

      const named = await client.chat.completions.create({
        model: 'm',
        messages: [{ role: 'user', content: 'hi' }],
        tools,
        tool_choice: { type: 'function', function: { name: 'lookup_order' } },
      });
      assert.equal(named.choices[0].message.tool_calls?.length, 1);
      assert.equal(named.choices[0].finish_reason, 'stop', 'a call forced by name ends with "stop", as on the API');

      const auto = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], tools });
      assert.equal(auto.choices[0].message.content, 'echo: hi');
      await assert.rejects(
        client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], tools, tool_choice: { type: 'function', function: { name: 'nope' } } }),
        BadRequestError,
      );
    });

    it('answers json_schema with the minimal instance, which the SDK parses with a zod schema', async () => {
      const Verdict = z.object({
        label: z.enum(['good', 'bad']),
        score: z.number().min(1),
        reasons: z.array(z.string()).min(2),
        note: z.string().nullable(),
        detail: z.object({ count: z.number().int() }),
      });
      const completion = await client.chat.completions.parse({ model: 'm', messages: [{ role: 'user', content: 'grade it' }], response_format: zodResponseFormat(Verdict, 'verdict') });
      assert.deepEqual(completion.choices[0].message.parsed, { label: 'good', score: 1, reasons: ['x', 'x'], note: 'x', detail: { count: 0 } });
    });

    it('rejects strict schemas the API rejects', async () => {
      await assert.rejects(
        client.chat.completions.create({
          model: 'm',
          messages: [{ role: 'user', content: 'x' }],
          response_format: { type: 'json_schema', json_schema: { name: 'loose', strict: true, schema: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] } } },
        }),
        (error: unknown) => error instanceof BadRequestError && /additionalProperties/.test(error.message) && error.param === 'response_format',
      );
    });

    it("answers json_object with a JSON object, and needs 'json' in the messages as the API does", async () => {
      const completion = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'Reply in JSON: hi' }], response_format: { type: 'json_object' } });
      assert.deepEqual(JSON.parse(completion.choices[0].message.content!), { echo: 'Reply in JSON: hi' });
      await assert.rejects(
        client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], response_format: { type: 'json_object' } }),
        (error: unknown) => error instanceof BadRequestError && /must contain the word 'json'/.test(error.message),
      );
    });

    it('replies as onChat scripts, falls back to the default, and validates requests', async () => {
      server.onChat((request) => (request.model === 'scripted' ? { content: { answer: 42 }, usage: { prompt_tokens: 7 } } : undefined));
      const scripted = await client.chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content: 'q' }], n: 2 });
      assert.equal(scripted.choices.length, 2);
      assert.equal(scripted.choices[1].message.content, '{"answer":42}');
      assert.equal(scripted.usage?.prompt_tokens, 7);
      const fallback = await client.chat.completions.create({ model: 'other', messages: [{ role: 'user', content: 'q' }] });
      assert.equal(fallback.choices[0].message.content, 'echo: q');

      server.onChat(() => ({ error: { status: 400, message: 'content policy', code: 'content_filter' } }));
      await assert.rejects(
        client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'q' }] }),
        (error: unknown) => error instanceof BadRequestError && error.code === 'content_filter',
      );

      await assert.rejects(
        client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'q' }], stream_options: { include_usage: true } }),
        (error: unknown) => error instanceof BadRequestError && error.param === 'stream_options',
      );
      await assert.rejects(client.chat.completions.create({ model: 'm', messages: [] }), (error: unknown) => error instanceof BadRequestError && error.param === 'messages');
      await assert.rejects(client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'q' }], temperature: 3 }), BadRequestError);
    });

    describe('streaming (stream: true)', () => {
      const ask = (content = 'Where is my refund?', extra: Partial<OpenAI.ChatCompletionCreateParamsStreaming> = {}) =>
        client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content }], stream: true, ...extra });
      const collect = async (stream: AsyncIterable<OpenAI.ChatCompletionChunk>) => {
        const chunks: OpenAI.ChatCompletionChunk[] = [];
        for await (const chunk of stream) chunks.push(chunk);
        return chunks;
      };

      it('sends the text as server-sent chat.completion.chunk events, several pieces, the finish reason last, then [DONE]', async () => {
        const chunks = await collect(await ask());
        assert.ok(chunks.length >= 4, `${chunks.length} chunks`);
        assert.ok(
          chunks.every((chunk) => chunk.object === 'chat.completion.chunk' && chunk.id === chunks[0].id && chunk.id.startsWith('chatcmpl-') && chunk.model === 'm' && Number.isInteger(chunk.created)),
        );
        assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: '', refusal: null });
        const pieces = chunks.flatMap((chunk) => (chunk.choices[0].delta.content ? [chunk.choices[0].delta.content] : []));
        assert.ok(pieces.length > 1);
        assert.equal(pieces.join(''), 'echo: Where is my refund?');
        assert.deepEqual(
          chunks.map((chunk) => chunk.choices[0].finish_reason),
          [...Array(chunks.length - 1).fill(null), 'stop'],
        );
        assert.deepEqual(chunks.at(-1)!.choices[0].delta, {});
        assert.ok(
          chunks.every((chunk) => !('usage' in chunk)),
          'no usage field without include_usage',
        );

        const response = await fetch(`${server.baseURL}/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true }),
        });
        assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
        const lines = (await response.text()).split('\n\n').filter(Boolean);
        assert.ok(lines.every((line) => line.startsWith('data: ')));
        assert.equal(lines.at(-1), 'data: [DONE]');
      });

      it('streams a tool call as OpenAI does: its id and name first, then fragments of its arguments', async () => {
        server.onChat(() => ({
          toolCalls: [
            { name: 'lookup_order', arguments: { order: 'A1', include_history: true } },
            { name: 'escalate', id: 'call_two' },
          ],
        }));
        const chunks = await collect(await ask());
        const calls = chunks.flatMap((chunk) => chunk.choices[0].delta.tool_calls ?? []);
        const heads = calls.filter((call) => call.id !== undefined);
        assert.deepEqual(
          heads.map((call) => [call.index, call.type, call.function?.name, call.function?.arguments]),
          [
            [0, 'function', 'lookup_order', ''],
            [1, 'function', 'escalate', ''],
          ],
        );
        assert.equal(heads[1].id, 'call_two');
        assert.ok(calls.filter((call) => call.index === 0 && call.id === undefined).length > 1, 'the arguments come in several fragments');
        const argumentsOf = (index: number) =>
          calls
            .filter((call) => call.index === index)
            .map((call) => call.function?.arguments ?? '')
            .join('');
        assert.deepEqual(JSON.parse(argumentsOf(0)), { order: 'A1', include_history: true });
        assert.equal(argumentsOf(1), '{}');
        assert.equal(chunks[0].choices[0].delta.role, 'assistant');
        assert.equal(chunks.at(-1)!.choices[0].finish_reason, 'tool_calls');
      });

      it('with include_usage: usage null on every chunk, then a last chunk without choices that carries it', async () => {
        server.onChat(() => ({ content: 'Two words.', usage: { prompt_tokens: 11, completion_tokens: 3 } }));
        const chunks = await collect(await ask('q', { stream_options: { include_usage: true } }));
        const last = chunks.at(-1)!;
        assert.deepEqual(last.choices, []);
        assert.equal(last.usage?.prompt_tokens, 11);
        assert.equal(last.usage?.total_tokens, 14);
        assert.ok(chunks.slice(0, -1).every((chunk) => chunk.usage === null && chunk.choices.length === 1));
      });

      it('answers errors and status faults before the stream starts, as JSON', async () => {
        server.onChat(() => ({ error: { status: 400, message: 'content policy', code: 'content_filter' } }));
        await assert.rejects(ask(), (error: unknown) => error instanceof BadRequestError && error.code === 'content_filter');
        server.onChat(undefined);
        server.fault({ path: '/chat/completions' }, { kind: 'status', status: 429 });
        await assert.rejects(ask(), RateLimitError);
        await assert.rejects(
          ask('q', { stream_options: { include_usage: 'yes' as unknown as boolean } }),
          (error: unknown) => error instanceof BadRequestError && error.param === 'stream_options.include_usage',
        );
      });

      it('noStream refuses stream requests only; streamCut drops the connection after a couple of chunks, or holds it open', async () => {
        server.fault({ path: '/chat/completions' }, { kind: 'noStream' });
        assert.equal(
          (await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })).choices[0].message.content,
          'echo: hi',
          'a plain request leaves the fault queued',
        );
        await assert.rejects(ask(), (error: unknown) => error instanceof BadRequestError && error.param === 'stream' && /stream/.test(error.message));

        server.fault({ path: '/chat/completions' }, { kind: 'streamCut' });
        const seen: OpenAI.ChatCompletionChunk[] = [];
        await assert.rejects(
          async () => {
            for await (const chunk of await ask('one two three four')) seen.push(chunk);
          },
          (error: unknown) => error instanceof TypeError,
        );
        assert.equal(seen.length, 2);
        assert.equal(seen[1].choices[0].delta.content, 'echo:');

        server.fault({ path: '/chat/completions' }, { kind: 'streamCut', afterChunks: 1, hold: true });
        const controller = new AbortController();
        const held: OpenAI.ChatCompletionChunk[] = [];
        for await (const chunk of await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'q' }], stream: true }, { signal: controller.signal })) {
          held.push(chunk);
          controller.abort();
        }
        assert.equal(held.length, 1, 'the SDK ends the iteration quietly when its signal aborts');
        assert.equal(server.pendingFaults, 0);
      });
    });

    it("cuts the reply at max_completion_tokens with finish_reason 'length'", async () => {
      const completion = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'a'.repeat(100) }], max_completion_tokens: 2 });
      assert.equal(completion.choices[0].finish_reason, 'length');
      assert.equal(completion.choices[0].message.content, 'echo: aa', 'two tokens of about four characters');
    });
  });

  describe('embeddings', () => {
    it('gives deterministic unit vectors, honouring dimensions, in both encodings', async () => {
      const first = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['refund my order', 'refund my order please', 'the weather in Paris'] });
      const again = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'refund my order', encoding_format: 'float' });
      const [a, b, c] = first.data.map((item) => item.embedding);
      assert.equal(a.length, 64);
      assert.deepEqual(
        first.data.map((item) => item.index),
        [0, 1, 2],
      );
      assert.ok(Math.abs(Math.hypot(...a) - 1) < 1e-5);
      again.data[0].embedding.forEach((value, index) => assert.ok(Math.abs(value - a[index]) < 1e-6), 'base64 (the SDK default) and float agree');
      const dot = (x: number[], y: number[]) => x.reduce((sum, value, index) => sum + value * y[index], 0);
      assert.ok(dot(a, b) > dot(a, c), 'texts sharing words are closer');
      assert.ok(first.usage.prompt_tokens > 0);

      const wide = await client.embeddings.create({ model: 'text-embedding-3-large', input: 'x', dimensions: 256 });
      assert.equal(wide.data[0].embedding.length, 256);
      await assert.rejects(client.embeddings.create({ model: 'm', input: '' }), BadRequestError);
    });
  });

  describe('stored chat completions', () => {
    const seed = () =>
      (
        [
          { model: 'a', metadata: { env: 'prod' }, created: 1000 },
          { model: 'b', metadata: { env: 'prod' }, created: 1001 },
          { model: 'a', metadata: { env: 'dev' }, created: 1002 },
          { model: 'a', metadata: { env: 'prod' }, created: 1003 },
          { model: 'a', metadata: { env: 'prod', team: 'x' }, created: 1004 },
        ] as Array<{ model: string; metadata: Record<string, string>; created: number }>
      ).map(
        (item, index) =>
          server.state.storeCompletion({
            ...item,
            messages: [
              { role: 'system', content: 'sys' },
              { role: 'user', content: `question ${index}` },
              { role: 'assistant', content: 'thinking' },
            ],
            response: `answer ${index}`,
          }).id,
      );

    it('lists with model and metadata filters, pages with limit and after, in both orders', async () => {
      const ids = seed();
      const page = await client.chat.completions.list({ model: 'a', metadata: { env: 'prod' }, limit: 2 });
      assert.deepEqual(
        page.data.map((item) => item.id),
        [ids[0], ids[3]],
      );
      assert.equal(page.has_more, true);
      assert.equal(page.data[0].choices[0].message.content, 'answer 0');
      assert.deepEqual((page.data[0] as unknown as { metadata: unknown }).metadata, { env: 'prod' });
      const next = await page.getNextPage();
      assert.deepEqual(
        next.data.map((item) => item.id),
        [ids[4]],
      );
      assert.equal(next.has_more, false);
      const all: string[] = [];
      for await (const item of client.chat.completions.list({ model: 'a', metadata: { env: 'prod' }, limit: 1 })) all.push(item.id);
      assert.deepEqual(all, [ids[0], ids[3], ids[4]]);
      const newest = await client.chat.completions.list({ order: 'desc', limit: 2 });
      assert.deepEqual(
        newest.data.map((item) => item.id),
        [ids[4], ids[3]],
      );
      assert.equal((await client.chat.completions.retrieve(ids[2])).model, 'a');
      await assert.rejects(client.chat.completions.retrieve('chatcmpl-missing'), NotFoundError);
    });

    it("lists a completion's request messages with ids <id>-<index>, paginated", async () => {
      const [id] = seed();
      const page = await client.chat.completions.messages.list(id, { limit: 2 });
      assert.deepEqual(
        page.data.map((message) => message.id),
        [`${id}-0`, `${id}-1`],
      );
      assert.equal(page.data[1].content, 'question 0');
      assert.equal(page.has_more, true);
      const next = await page.getNextPage();
      assert.deepEqual(
        next.data.map((message) => [message.id, message.role]),
        [[`${id}-2`, 'assistant']],
      );

      const parts = [
        { type: 'text' as const, text: 'look' },
        { type: 'image_url' as const, image_url: { url: 'https://example.com/a.png' } },
      ];
      const withParts = server.state.storeCompletion({
        model: 'a',
        messages: [{ role: 'user', content: parts }],
        tools: [{ type: 'function', function: { name: 'describe', parameters: { type: 'object', properties: {} } } }],
        response: { toolCalls: [{ name: 'describe', arguments: { detail: 'high' } }] },
      });
      const [message] = (await client.chat.completions.messages.list(withParts.id)).data;
      assert.deepEqual([message.content, message.content_parts], [null, parts]);
      const retrieved = await client.chat.completions.retrieve(withParts.id);
      assert.equal((retrieved as unknown as { tools: unknown[] }).tools.length, 1);
      assert.equal(retrieved.choices[0].message.tool_calls?.length, 1);
    });

    it('stores completions created with store: true, and updates and deletes them', async () => {
      const created = await client.chat.completions.create({ model: 'live', messages: [{ role: 'user', content: 'keep me' }], store: true, metadata: { source: 'test' } });
      await client.chat.completions.create({ model: 'live', messages: [{ role: 'user', content: 'forget me' }] });
      const listed = await client.chat.completions.list({ metadata: { source: 'test' } });
      assert.deepEqual(
        listed.data.map((item) => item.id),
        [created.id],
      );
      await client.chat.completions.update(created.id, { metadata: { source: 'edited' } });
      assert.equal((await client.chat.completions.list({ metadata: { source: 'test' } })).data.length, 0);
      assert.equal((await client.chat.completions.delete(created.id)).deleted, true);
      await assert.rejects(client.chat.completions.retrieve(created.id), NotFoundError);
    });
  });

  describe('files', () => {
    it('uploads multipart, lists, retrieves, returns content and deletes', async () => {
      const content = jsonl([{ messages: [{ role: 'user', content: 'hi' }] }]);
      const file = await upload('train.jsonl', content, 'fine-tune');
      assert.match(file.id, /^file-/);
      assert.deepEqual([file.filename, file.purpose, file.bytes, file.status], ['train.jsonl', 'fine-tune', Buffer.byteLength(content), 'processed']);
      assert.deepEqual(server.requests.at(-1)?.body, { purpose: 'fine-tune', file: { filename: 'train.jsonl', bytes: Buffer.byteLength(content) } });
      await upload('batch.jsonl', '{}\n', 'batch');
      assert.deepEqual(
        (await client.files.list({ purpose: 'fine-tune' })).data.map((item) => item.id),
        [file.id],
      );
      assert.equal((await client.files.list()).data.length, 2);
      assert.equal((await client.files.retrieve(file.id)).filename, 'train.jsonl');
      assert.equal(await (await client.files.content(file.id)).text(), content);
      assert.deepEqual(await client.files.delete(file.id), { id: file.id, object: 'file', deleted: true });
      await assert.rejects(client.files.retrieve(file.id), NotFoundError);
      await assert.rejects(upload('x.jsonl', '{}', 'nonsense' as OpenAI.FilePurpose), BadRequestError);
    });
  });

  describe('fine-tuning jobs', () => {
    const grader: OpenAI.Graders.StringCheckGrader = { type: 'string_check', name: 'exact', input: '{{ sample.output_text }}', reference: '{{ item.answer }}', operation: 'eq' };
    const createJob = async (extra: Partial<OpenAI.FineTuning.JobCreateParams> = {}) => {
      const file = await upload('train.jsonl', jsonl([{ messages: [{ role: 'user', content: '2+2?' }], answer: '4' }]), 'fine-tune');
      return client.fineTuning.jobs.create({
        model: 'o4-mini-2025-04-16',
        training_file: file.id,
        suffix: 'math',
        method: { type: 'reinforcement', reinforcement: { grader, hyperparameters: { n_epochs: 1 } } },
        ...extra,
      });
    };

    it('moves through validating_files → queued → running → succeeded, with metrics events and checkpoints', async () => {
      const job = await createJob({ metadata: { run: 'lifecycle' } });
      assert.equal(job.status, 'validating_files');
      assert.equal(job.method?.type, 'reinforcement');
      assert.deepEqual(job.method?.reinforcement?.grader, grader);
      assert.equal(job.method?.reinforcement?.hyperparameters?.n_epochs, 1);
      assert.equal(job.method?.reinforcement?.hyperparameters?.batch_size, 'auto');
      const statuses: string[] = [];
      let current = job;
      while (!['succeeded', 'failed', 'cancelled'].includes(current.status)) {
        current = await client.fineTuning.jobs.retrieve(job.id);
        statuses.push(current.status);
      }
      assert.deepEqual(statuses, ['queued', 'running', 'running', 'running', 'succeeded']);
      assert.equal(current.fine_tuned_model, `ft:o4-mini-2025-04-16:test:math:${job.id.replace('ftjob-', '')}`);
      assert.ok(current.finished_at !== null && current.trained_tokens !== null);
      assert.match(await (await client.files.content(current.result_files[0])).text(), /^step,train_mean_reward,/);

      const events = await client.fineTuning.jobs.listEvents(job.id, { limit: 100 });
      const metrics = events.data.filter((event) => event.type === 'metrics').map((event) => event.data as { step: number; scores: { train_reward_mean: number; graders: { name: string }[] } });
      assert.deepEqual(
        metrics.map((data) => data.step),
        [3, 2, 1],
        'newest first',
      );
      assert.ok(metrics[0].scores.train_reward_mean > metrics[2].scores.train_reward_mean);
      assert.deepEqual(
        metrics[0].scores.graders.map((entry) => entry.name),
        ['exact'],
        'one entry per grader, in an array',
      );
      assert.equal(events.data.at(-1)?.message, `Created fine-tuning job: ${job.id}`);
      const firstTwo = await client.fineTuning.jobs.listEvents(job.id, { limit: 2 });
      assert.equal(firstTwo.has_more, true);
      assert.equal((await firstTwo.getNextPage()).data[0].id, events.data[2].id);

      const checkpoints = await client.fineTuning.jobs.checkpoints.list(job.id);
      assert.deepEqual(
        checkpoints.data.map((checkpoint) => checkpoint.step_number),
        [3, 2, 1],
      );
      assert.equal(checkpoints.data[0].fine_tuned_model_checkpoint, `${current.fine_tuned_model}:ckpt-step-3`);
      assert.equal(checkpoints.data[0].metrics.step, 3);

      await createJob();
      assert.deepEqual(
        (await client.fineTuning.jobs.list({ metadata: { run: 'lifecycle' } })).data.map((item) => item.id),
        [job.id],
      );
    });

    it('cancels, pauses only a running job, and resumes it', async () => {
      const cancelled = await createJob();
      assert.equal((await client.fineTuning.jobs.cancel(cancelled.id)).status, 'cancelled');
      assert.equal((await client.fineTuning.jobs.retrieve(cancelled.id)).status, 'cancelled');
      await assert.rejects(client.fineTuning.jobs.cancel(cancelled.id), BadRequestError);

      const job = await createJob();
      await assert.rejects(client.fineTuning.jobs.pause(job.id), (error: unknown) => error instanceof BadRequestError && /only running jobs/.test(error.message));
      await client.fineTuning.jobs.retrieve(job.id);
      assert.equal((await client.fineTuning.jobs.retrieve(job.id)).status, 'running');
      assert.equal((await client.fineTuning.jobs.pause(job.id)).status as string, 'paused');
      assert.equal((await client.fineTuning.jobs.retrieve(job.id)).status as string, 'paused', 'a paused job does not advance');
      await assert.rejects(client.fineTuning.jobs.pause(job.id), BadRequestError);
      assert.equal((await client.fineTuning.jobs.resume(job.id)).status, 'running');
      await assert.rejects(client.fineTuning.jobs.resume(job.id), BadRequestError);
      assert.equal((await client.fineTuning.jobs.retrieve(job.id)).status, 'running');
      const messages = (await client.fineTuning.jobs.listEvents(job.id)).data.map((event) => event.message);
      assert.ok(messages.includes('Fine-tuning job paused') && messages.includes('Fine-tuning job resumed'));
    });

    it('fails a job when the test says so, and rejects bad input', async () => {
      const job = await createJob();
      server.state.failJob(job.id, { atStatus: 'running', error: { code: 'invalid_grader', message: 'The grader failed on every sample.' } });
      assert.equal((await client.fineTuning.jobs.retrieve(job.id)).status, 'queued');
      const failed = await client.fineTuning.jobs.retrieve(job.id);
      assert.equal(failed.status, 'failed');
      assert.deepEqual(failed.error, { code: 'invalid_grader', message: 'The grader failed on every sample.', param: null });
      assert.equal((await client.fineTuning.jobs.listEvents(job.id)).data[0].level, 'error');

      await assert.rejects(
        createJob({ method: { type: 'reinforcement', reinforcement: { grader: { ...grader, operation: 'contains' as 'eq' } } } }),
        (error: unknown) => error instanceof BadRequestError && error.param === 'method.reinforcement.grader.operation',
      );
      await assert.rejects(client.fineTuning.jobs.create({ model: 'm', training_file: 'file-missing' }), (error: unknown) => error instanceof BadRequestError && error.param === 'training_file');
      await assert.rejects(client.fineTuning.jobs.retrieve('ftjob-missing'), NotFoundError);
    });
  });

  describe('graders', () => {
    const run = (grader: Grader, modelSample: string, item: unknown = {}) => client.fineTuning.alpha.graders.run({ grader, model_sample: modelSample, item });

    it('validates the shapes of string_check, text_similarity, score_model, python and multi graders', async () => {
      const valid: Grader[] = [
        { type: 'string_check', name: 'a', input: '{{sample.output_text}}', reference: '{{item.answer}}', operation: 'ilike' },
        { type: 'text_similarity', name: 'b', input: '{{sample.output_text}}', reference: 'x', evaluation_metric: 'fuzzy_match' },
        { type: 'score_model', name: 'c', model: 'gpt-4o-mini-2024-07-18', input: [{ role: 'user', content: 'Score {{sample.output_text}}' }], range: [0, 1] },
        { type: 'python', name: 'd', source: 'def grade(sample, item):\n    return 1.0\n' },
        multiGrader({
          name: 'e',
          calculate_output: '0.5 * a + 0.5 * b',
          graders: { a: { type: 'string_check', name: 'a', input: 'x', reference: 'x', operation: 'eq' }, b: { type: 'python', name: 'b', source: 'def grade(s, i): return 1' } },
        }),
      ];
      for (const grader of valid) assert.deepEqual((await client.fineTuning.alpha.graders.validate({ grader })).grader, grader);

      const invalid: Array<[unknown, RegExp]> = [
        [{ type: 'string_check', name: 'a', input: 'x', reference: 'x', operation: 'contains' }, /operation/],
        [{ type: 'string_check', name: 'a', input: '{{ foo.bar }}', reference: 'x', operation: 'eq' }, /item\.' or 'sample\./],
        [{ type: 'text_similarity', name: 'b', input: 'x', reference: 'x', evaluation_metric: 'jaccard' }, /evaluation_metric/],
        [{ type: 'score_model', name: 'c', model: 'm', input: [] }, /input/],
        [{ type: 'python', name: 'd', source: 'print(1)' }, /grade/],
        [{ type: 'multi', name: 'e', calculate_output: 'a + missing', graders: { a: { type: 'string_check', name: 'a', input: 'x', reference: 'x', operation: 'eq' } } }, /missing/],
        [{ type: 'label_model', name: 'f', model: 'm', input: [{ role: 'user', content: 'x' }], labels: ['a'], passing_labels: ['a'] }, /type/],
      ];
      for (const [grader, message] of invalid) {
        await assert.rejects(client.fineTuning.alpha.graders.validate({ grader: grader as Grader }), (error: unknown) => error instanceof BadRequestError && message.test(error.message));
      }
    });

    it('runs string_check and text_similarity with templates', async () => {
      const check = (operation: 'eq' | 'ne' | 'like' | 'ilike'): Grader => ({ type: 'string_check', name: 'check', input: '{{ sample.output_text }}', reference: '{{ item.answer }}', operation });
      assert.equal((await run(check('eq'), 'Paris', { answer: 'Paris' })).reward, 1);
      assert.equal((await run(check('ne'), 'Paris', { answer: 'Paris' })).reward, 0);
      assert.equal((await run(check('like'), 'It is Paris.', { answer: 'Paris' })).reward, 1);
      assert.equal((await run(check('like'), 'It is paris.', { answer: 'Paris' })).reward, 0);
      assert.equal((await run(check('ilike'), 'It is paris.', { answer: 'Paris' })).reward, 1);
      const json: Grader = { type: 'string_check', name: 'field', input: '{{ sample.output_json.city }}', reference: '{{ item.answers[0] }}', operation: 'eq' };
      assert.equal((await run(json, '{"city":"Rome"}', { answers: ['Rome'] })).reward, 1);

      const fuzzy = await run({ type: 'text_similarity', name: 'fuzzy', input: '{{ sample.output_text }}', reference: 'kitten', evaluation_metric: 'fuzzy_match' }, 'sitting');
      assert.ok(Math.abs(fuzzy.reward - 8 / 13) < 1e-9);
      assert.equal(fuzzy.metadata.name, 'fuzzy');
      assert.equal(fuzzy.metadata.type, 'text_similarity');
      assert.equal(fuzzy.metadata.errors.other_error, false);
      assert.equal(fuzzy.metadata.sampled_model_name, null);

      const missing = await run(check('eq'), 'Paris', {});
      assert.equal(missing.reward, 0);
      assert.equal(missing.metadata.errors.invalid_variable_error, true);
    });

    it('runs multi graders with a weighted formula, model graders through onChat, and refuses python', async () => {
      const multi = multiGrader({
        name: 'combined',
        calculate_output: '0.25 * exact + 0.75 * contains',
        graders: {
          exact: { type: 'string_check', name: 'exact', input: '{{ sample.output_text }}', reference: 'Paris', operation: 'eq' },
          contains: { type: 'string_check', name: 'contains', input: '{{ sample.output_text }}', reference: 'paris', operation: 'ilike' },
        },
      });
      const result = await run(multi, 'Paris, France');
      assert.equal(result.reward, 0.75);
      assert.deepEqual(result.sub_rewards, { exact: 0, contains: 1 });

      server.onChat((request) => {
        const format = request.response_format;
        return format?.type === 'json_schema' && format.json_schema.name === 'score_model_grader' ? { content: { steps: [], result: 0.8 } } : undefined;
      });
      const scored = await run({ type: 'score_model', name: 'judge', model: 'gpt-4o-mini-2024-07-18', input: [{ role: 'user', content: 'Rate: {{ sample.output_text }}' }] }, 'an answer');
      assert.equal(scored.reward, 0.8);
      assert.equal(scored.metadata.sampled_model_name, 'gpt-4o-mini-2024-07-18');
      assert.ok((scored.metadata.token_usage ?? 0) > 0);
      assert.deepEqual(Object.keys(scored.model_grader_token_usage_per_model), ['gpt-4o-mini-2024-07-18']);
      const judgeRequest = server.requests.at(-1)!;
      assert.equal(judgeRequest.path, '/v1/fine_tuning/alpha/graders/run', 'the model grader is answered inside the server');

      await assert.rejects(
        run({ type: 'python', name: 'py', source: 'def grade(sample, item):\n    return 1\n' }, 'x'),
        (error: unknown) => error instanceof BadRequestError && /not supported in the test server/.test(error.message),
      );
    });
  });

  describe('batches', () => {
    const line = (customId: string, content: string, body: Record<string, unknown> = {}) => ({
      custom_id: customId,
      method: 'POST',
      url: '/v1/chat/completions',
      body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content }], ...body },
    });

    it('runs a chat batch end to end: validating → in_progress → completed, with output and error files', async () => {
      server.onChat((request) => (request.messages[0].content === 'scripted' ? { content: 'from the handler' } : undefined));
      const input = await upload('requests.jsonl', jsonl([line('one', 'hello'), line('two', 'scripted'), line('three', 'bad', { temperature: 9 })]), 'batch');
      const batch = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { purpose: 'test' } });
      assert.equal(batch.status, 'validating');
      assert.equal((await client.batches.retrieve(batch.id)).status, 'in_progress');
      const done = await client.batches.retrieve(batch.id);
      assert.equal(done.status, 'completed');
      assert.deepEqual(done.request_counts, { total: 3, completed: 2, failed: 1 });
      assert.ok((done.usage?.total_tokens ?? 0) > 0);

      const output = (await (await client.files.content(done.output_file_id!)).text())
        .trim()
        .split('\n')
        .map((text) => JSON.parse(text));
      assert.deepEqual(
        output.map((item) => [item.custom_id, item.response.status_code, item.response.body.choices[0].message.content]),
        [
          ['one', 200, 'echo: hello'],
          ['two', 200, 'from the handler'],
        ],
      );
      const errors = (await (await client.files.content(done.error_file_id!)).text())
        .trim()
        .split('\n')
        .map((text) => JSON.parse(text));
      assert.deepEqual([errors[0].custom_id, errors[0].response.status_code, errors[0].response.body.error.param], ['three', 400, 'temperature']);
      assert.deepEqual(
        (await client.batches.list()).data.map((item) => item.id),
        [batch.id],
      );
    });

    it('fails a batch whose input has bad lines, and cancels one in progress', async () => {
      const bad = await upload('bad.jsonl', jsonl([line('one', 'x'), '{not json', { ...line('three', 'y'), url: '/v1/embeddings' }]), 'batch');
      const failing = await client.batches.create({ input_file_id: bad.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
      const failed = await client.batches.retrieve(failing.id);
      assert.equal(failed.status, 'failed');
      assert.deepEqual(
        failed.errors?.data?.map((error) => [error.code, error.line]),
        [
          ['invalid_json_line', 2],
          ['mismatched_endpoint', 3],
        ],
      );

      const good = await upload('good.jsonl', jsonl([line('one', 'x')]), 'batch');
      const batch = await client.batches.create({ input_file_id: good.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
      assert.equal((await client.batches.cancel(batch.id)).status, 'cancelling');
      assert.equal((await client.batches.retrieve(batch.id)).status, 'cancelled');
      await assert.rejects(client.batches.cancel(batch.id), BadRequestError);
    });
  });

  describe('faults, auth and routing', () => {
    const ask = (target: OpenAI = client) => target.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });

    it('answers 429 with retry-after, which the SDK honours before retrying', async () => {
      const retrying = new OpenAI({ baseURL: server.baseURL, apiKey: server.apiKey, maxRetries: 1 });
      server.fault({ method: 'POST', path: '/chat/completions' }, { kind: 'status', status: 429, retryAfterSeconds: 1 });
      const started = Date.now();
      const completion = await ask(retrying);
      assert.equal(completion.choices[0].message.content, 'echo: hi');
      assert.ok(Date.now() - started >= 1000, 'waited for retry-after');
      assert.equal(server.requests.length, 2);
      assert.equal(server.requests[1].headers['x-stainless-retry-count'], '1');

      server.fault({ path: '/v1/chat/completions' }, { kind: 'status', status: 429 }, 1);
      await assert.rejects(ask(), (error: unknown) => error instanceof RateLimitError && error.code === 'rate_limit_exceeded');
    });

    it('answers 500 (retried by the SDK) and 503 on a path matched by a RegExp', async () => {
      server.fault({ path: '/chat/completions' }, { kind: 'status', status: 500 });
      await assert.rejects(ask(), (error: unknown) => error instanceof InternalServerError && error.status === 500 && error.type === 'server_error');

      const retrying = new OpenAI({ baseURL: server.baseURL, apiKey: server.apiKey, maxRetries: 2 });
      server.fault({ method: 'GET', path: /^\/files\/[^/]+$/ }, { kind: 'status', status: 503, retryAfterMs: 10 }, 2);
      const file = await upload('a.jsonl', '{}\n', 'batch');
      const before = server.requests.length;
      assert.equal((await retrying.files.retrieve(file.id)).id, file.id);
      assert.equal(server.requests.length - before, 3);
    });

    it('surfaces a malformed body as an error', async () => {
      server.fault({ path: '/chat/completions' }, { kind: 'malformed' });
      await assert.rejects(ask(), SyntaxError);
      assert.equal((await ask()).choices[0].message.content, 'echo: hi', 'the fault was used up');
    });

    it('hangs until the SDK times out', async () => {
      const impatient = new OpenAI({ baseURL: server.baseURL, apiKey: server.apiKey, maxRetries: 0, timeout: 200 });
      server.fault({ path: '/chat/completions' }, { kind: 'hang' });
      const started = Date.now();
      await assert.rejects(ask(impatient), APIConnectionTimeoutError);
      assert.ok(Date.now() - started < 10_000, 'the hang ends with the SDK timeout, not never');
    });

    it('answers json_schema requests with valid JSON that breaks the schema', async () => {
      const Answer = z.object({ city: z.string(), population: z.number() });
      server.fault({ path: '/chat/completions' }, { kind: 'wrongSchema' });
      assert.equal((await ask()).choices[0].message.content, 'echo: hi', 'requests without json_schema leave the fault queued');
      assert.equal(server.pendingFaults, 1);
      const completion = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], response_format: zodResponseFormat(Answer, 'answer') });
      const content = JSON.parse(completion.choices[0].message.content!);
      assert.equal(Answer.safeParse(content).success, false);
      assert.equal(server.pendingFaults, 0);
    });

    it('rejects response_format as servers without support for it do', async () => {
      server.fault({ path: '/chat/completions' }, { kind: 'noResponseFormat' }, 2);
      assert.equal((await ask()).choices[0].message.content, 'echo: hi');
      await assert.rejects(
        client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'json please' }], response_format: { type: 'json_object' } }),
        (error: unknown) => error instanceof BadRequestError && /response_format is not supported/.test(error.message),
      );
    });

    it('answers 401 without the right key, and 404 for unknown routes, in the OpenAI envelope', async () => {
      const wrongKey = new OpenAI({ baseURL: server.baseURL, apiKey: 'sk-wrong-key-123456', maxRetries: 0 });
      await assert.rejects(ask(wrongKey), (error: unknown) => error instanceof AuthenticationError && error.code === 'invalid_api_key' && !error.message.includes('wrong-key'));

      const noKey = await fetch(`${server.baseURL}/chat/completions`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      assert.equal(noKey.status, 401);
      const envelope = (await noKey.json()) as { error: Record<string, unknown> };
      assert.deepEqual(Object.keys(envelope.error).sort(), ['code', 'message', 'param', 'type']);
      assert.match(String(envelope.error.message), /didn't provide an API key/);

      await assert.rejects(client.models.list(), (error: unknown) => error instanceof NotFoundError && /Invalid URL \(GET \/v1\/models\)/.test(error.message));
      const badJson = await fetch(`${server.baseURL}/chat/completions`, { method: 'POST', body: '{oops', headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' } });
      assert.equal(badJson.status, 400);
    });

    it('delays every response by the latency and serves concurrent requests in parallel', async () => {
      server.setLatency(300);
      const started = Date.now();
      const replies = await Promise.all(Array.from({ length: 32 }, (_, index) => client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: `n${index}` }] })));
      const elapsed = Date.now() - started;
      assert.deepEqual(
        replies.map((reply) => reply.choices[0].message.content),
        Array.from({ length: 32 }, (_, index) => `echo: n${index}`),
      );
      // In series they would take 32 × 300 ms = 9.6 s: half of that leaves room for a loaded machine.
      assert.ok(elapsed >= 300 && elapsed < 4800, `32 requests with 300 ms latency took ${elapsed} ms`);
    });
  });
});
