// `js` graders (docs/grader.md §Sandboxes): the user's `function grade(input)`, run in QuickJS inside a worker thread
// (quickjsEngine.ts says how it is sealed; sandboxWorker.ts how the limits are kept). The host never blocks on a
// grader: a hung or exploding one is stopped and reported, and the next call works.
import { contentText } from '../../validation/recordShape';
import type { Item, Sample, ToolCall } from '../sample';
import { DEFAULT_SCRIPT_LIMITS, type ScriptLimits, type ScriptOutcome } from './scriptLimits';
import { SandboxWorker } from './sandboxWorker';

/** What a `js` grader's `grade(input)` receives (media/grader-js.d.ts declares it for users' editors). */
export interface JsGraderInput {
  readonly sample: Sample;
  readonly item: Item;
  /** item.messages, or [] */
  readonly messages: readonly unknown[];
  /** sample.output_text */
  readonly response: string;
  /** The text of the final user message (its content parts' text joined with newlines). */
  readonly lastUserMessage: string;
  /** The text of the first system or developer message, or "". */
  readonly systemPrompt: string;
  /** item.tools, or [] */
  readonly tools: readonly unknown[];
  /** sample.output_tools, or [] */
  readonly toolCalls: readonly ToolCall[];
}

/** The `input` a js grader gets for one (sample, item) pair. */
export function jsGraderInput(sample: Sample, item: Item): JsGraderInput {
  const messages = Array.isArray(item.messages) ? (item.messages as unknown[]) : [];
  const roleOf = (message: unknown) => (message && typeof message === 'object' ? (message as { role?: unknown }).role : undefined);
  const contentOf = (message: unknown) => (message as { content?: unknown } | undefined)?.content;
  const lastUser = [...messages].reverse().find((message) => roleOf(message) === 'user');
  const system = messages.find((message) => roleOf(message) === 'system' || roleOf(message) === 'developer');
  return {
    sample,
    item,
    messages,
    response: sample.output_text,
    lastUserMessage: lastUser === undefined ? '' : contentText(contentOf(lastUser)),
    systemPrompt: system === undefined ? '' : contentText(contentOf(system)),
    tools: Array.isArray(item.tools) ? (item.tools as unknown[]) : [],
    toolCalls: sample.output_tools ?? [],
  };
}

/** QuickJS in a warm worker thread; calls run one at a time. */
export class JsSandbox {
  private readonly worker = new SandboxWorker('js');

  private constructor() {
    this.worker.warm();
  }

  /** A sandbox whose worker starts loading now (~50 ms). */
  static async create(): Promise<JsSandbox> {
    return new JsSandbox();
  }

  /** Runs `grade(input)` from `source` under the limits; resolves with its value or the error, never rejects. */
  async run(source: string, input: JsGraderInput, limits: ScriptLimits = DEFAULT_SCRIPT_LIMITS): Promise<ScriptOutcome> {
    let json: string;
    try {
      json = JSON.stringify(input);
    } catch (error) {
      return { ok: false, code: 'sample_parse_error', message: `the grader input is not JSON: ${(error as Error).message}` };
    }
    return this.worker.call({ source, input: json }, limits);
  }

  /** How many workers this sandbox has started (one more each time a grader had to be stopped by force). */
  get workersStarted(): number {
    return this.worker.workersStarted;
  }

  /** Stops the worker. */
  dispose(): Promise<void> {
    return this.worker.dispose();
  }
}
