// grader.json → the grader object OpenAI's (and Azure OpenAI's) fine-tuning API takes: `file` references inlined
// as `source`, our own keys (preset, description) dropped. `js` graders cannot run there: say so, point to python.
import type { ModelClient } from '../../llm/modelClient';
import { resolveFiles } from '../graderFile';
import type { Grader, LeafGrader } from '../graderSchema';

export interface CompileProblem {
  /** Where in grader.json, e.g. "graders.quality". */
  readonly path: string;
  readonly message: string;
}

export interface OpenAICompilation {
  /** Absent when a problem stops compilation. */
  readonly grader?: Record<string, unknown>;
  readonly problems: CompileProblem[];
}

export async function compileForOpenAI(grader: Grader, options: { baseDir: string }): Promise<OpenAICompilation> {
  const problems: CompileProblem[] = [];
  let resolved: Grader;
  try {
    resolved = await resolveFiles(grader, options.baseDir);
  } catch (error) {
    return { problems: [{ path: 'file', message: (error as Error).message }] };
  }
  if (resolved.type === 'multi') {
    const graders = Object.fromEntries(Object.entries(resolved.graders).map(([name, sub]) => [name, leafForOpenAI(sub, `graders.${name}`, problems)]));
    const { preset: _preset, description: _description, ...rest } = resolved;
    return problems.length > 0 ? { problems } : { grader: { ...rest, graders }, problems };
  }
  const compiled = leafForOpenAI(resolved, '(root)', problems);
  return problems.length > 0 ? { problems } : { grader: compiled, problems };
}

function leafForOpenAI(grader: LeafGrader, at: string, problems: CompileProblem[]): Record<string, unknown> {
  const { preset: _preset, description: _description, ...rest } = grader;
  if (grader.type === 'js') {
    problems.push({ path: at, message: `"${grader.name}" is a js grader, which OpenAI and Azure OpenAI cannot run: rewrite it as a python grader (def grade(sample, item) -> float) to train there; TRL and verl run it through rft grader serve.` });
  }
  if ('file' in rest) delete (rest as { file?: string }).file;
  return rest;
}

/** Asks the API's /fine_tuning/alpha/graders/validate; returns its complaint, or undefined when it accepts the grader. */
export async function validateWithOpenAI(client: ModelClient, grader: Record<string, unknown>, signal?: AbortSignal): Promise<string | undefined> {
  try {
    await client.request((abort) => client.openai.post('/fine_tuning/alpha/graders/validate', { body: { grader }, signal: abort }), { signal });
    return undefined;
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 400 || status === 422) return (error as Error).message;
    throw error;
  }
}
