// Types for RFT Studio `js` graders (graders/*.js): what `grade(input)` receives. For completion in VS Code, put
// this file beside your graders (e.g. <dataset>/graders/grader-js.d.ts) with a jsconfig.json there,
//   { "compilerOptions": { "checkJs": true, "lib": ["es2023"] }, "include": ["*.js", "grader-js.d.ts"] }
// (or start a grader file with `/// <reference path="./grader-js.d.ts" />`), and annotate the function:
//
//   /** @param {GraderInput} input @returns {number} a score in 0..1 */
//   function grade(input) {
//     return input.response.includes(String(input.item.reference_answer)) ? 1 : 0;
//   }
//
// Graders run in QuickJS (ES2023), in strict mode, with no `require`, `process`, file system, network or timers;
// `console.*` exists and prints nothing. A call sees only its own input: state left by another call is gone.

/** `console.*` exists in the sandbox and prints nothing (declared the way lib.dom does, so the two merge). */
interface Console {
  log(...data: unknown[]): void;
  info(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
  debug(...data: unknown[]): void;
  trace(...data: unknown[]): void;
}
// eslint-disable-next-line no-var -- `var`, as lib.dom declares it, so that the two declarations merge
declare var console: Console;

/** A content part of a message (text parts carry `text`). */
interface GraderContentPart {
  readonly type: string;
  readonly text?: string;
  readonly [key: string]: unknown;
}

/** A tool call, as the model made it: `arguments` is a JSON string. */
interface GraderToolCall {
  readonly id?: string;
  readonly type?: 'function';
  readonly function: { readonly name: string; readonly arguments: string };
}

/** One chat message of the record (OpenAI chat format). */
interface GraderMessage {
  readonly role: 'system' | 'developer' | 'user' | 'assistant' | 'tool';
  readonly content?: string | readonly GraderContentPart[] | null;
  readonly tool_calls?: readonly GraderToolCall[];
  readonly tool_call_id?: string;
  readonly name?: string;
}

/** A tool the record offers the model (OpenAI function tool). */
interface GraderTool {
  readonly type: 'function';
  readonly function: { readonly name: string; readonly description?: string; readonly parameters?: Record<string, unknown> };
}

/** The model's answer, as OpenAI hands it to graders. */
interface GraderSample {
  readonly output_text: string;
  /** The answer parsed as JSON, when it is JSON. */
  readonly output_json?: unknown;
  readonly output_tools?: readonly GraderToolCall[];
  readonly choices?: readonly unknown[];
}

/** The record's top-level fields: `messages`, `tools` and every grader field (`reference_answer`, …). */
interface GraderItem {
  readonly messages?: readonly GraderMessage[];
  readonly tools?: readonly GraderTool[];
  readonly reference_answer?: unknown;
  readonly reference_tool_calls?: readonly GraderToolCall[];
  readonly [key: string]: unknown;
}

/** What `grade(input)` receives; return a number in 0..1. */
interface GraderInput {
  /** The model's answer. */
  readonly sample: GraderSample;
  /** The record's fields. */
  readonly item: GraderItem;
  /** item.messages, or []. */
  readonly messages: readonly GraderMessage[];
  /** sample.output_text. */
  readonly response: string;
  /** The text of the final user message (its content parts' text joined with newlines). */
  readonly lastUserMessage: string;
  /** The text of the first system or developer message, or "". */
  readonly systemPrompt: string;
  /** item.tools, or []. */
  readonly tools: readonly GraderTool[];
  /** sample.output_tools, or []. */
  readonly toolCalls: readonly GraderToolCall[];
}
