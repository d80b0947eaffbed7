// grader.json → the grader object OpenAI's (and Azure OpenAI's) fine-tuning API takes: `file` references inlined
// as `source`, our own keys (preset, description) dropped. What the target cannot train with is a located problem:
// `js` graders (point to python), `cosine` (evals only), judge models and sampling the target's graders refuse.
import type { ModelClient } from '../../llm/modelClient';
import { resolveFiles } from '../graderFile';
import type { Grader, LeafGrader } from '../graderSchema';
import { judgeProblems, metricProblem, type HostedTarget } from '../judgeModels';
import type { CompileProblem } from './compileProblem';

export type { CompileProblem };

export interface OpenAICompilation {
  /** Absent when a problem stops compilation. */
  readonly grader?: Record<string, unknown>;
  readonly problems: CompileProblem[];
}

/** Compiles for OpenAI (the default) or Azure OpenAI, whose graders take fewer judge models. */
export async function compileForOpenAI(grader: Grader, options: { baseDir: string; target?: HostedTarget }): Promise<OpenAICompilation> {
  const target = options.target ?? 'openai';
  const problems: CompileProblem[] = [];
  let resolved: Grader;
  try {
    resolved = await resolveFiles(grader, options.baseDir);
  } catch (error) {
    return { problems: [{ path: 'file', message: (error as Error).message }] };
  }
  if (resolved.type === 'multi') {
    const graders = Object.fromEntries(Object.entries(resolved.graders).map(([name, sub]) => [name, leafForOpenAI(sub, `graders.${name}`, target, problems)]));
    const { preset: _preset, description: _description, ...rest } = resolved;
    return problems.length > 0 ? { problems } : { grader: { ...rest, graders }, problems };
  }
  const compiled = leafForOpenAI(resolved, '', target, problems);
  return problems.length > 0 ? { problems } : { grader: compiled, problems };
}

/** `at` is the leaf's place in a multi grader ("graders.quality"), empty at the root. */
function leafForOpenAI(grader: LeafGrader, at: string, target: HostedTarget, problems: CompileProblem[]): Record<string, unknown> {
  const { preset: _preset, description: _description, ...rest } = grader;
  const field = (name: string) => (at ? `${at}.${name}` : name);
  if (grader.type === 'js') {
    problems.push({
      path: at || '(root)',
      message: `"${grader.name}" is a js grader, which OpenAI and Azure OpenAI cannot run: rewrite it as a python grader (def grade(sample, item) -> float) to train there; TRL and verl run it through rft grader serve.`,
    });
  }
  const metric = grader.type === 'text_similarity' ? metricProblem(grader.evaluation_metric, target) : undefined;
  if (metric) problems.push({ path: field('evaluation_metric'), message: `"${grader.name}": ${metric}.` });
  if (grader.type === 'score_model' || grader.type === 'label_model') {
    for (const problem of judgeProblems(grader, target)) problems.push({ path: field(problem.field), message: `"${grader.name}": ${problem.message}.` });
  }
  if ('file' in rest) delete (rest as { file?: string }).file;
  return rest;
}

/**
 * Asks the API's /fine_tuning/alpha/graders/validate; returns its complaint, or undefined when it accepts the grader.
 * Azure OpenAI serves the graders only on its v1 surface ({endpoint}/openai/v1/…, api-version v1), not under the
 * dated api-version the rest of its fine-tuning API takes (test/fixtures/vendor/azure/v1-reference-excerpts.json).
 */
export async function validateWithOpenAI(client: ModelClient, grader: Record<string, unknown>, signal?: AbortSignal): Promise<string | undefined> {
  const azure = client.provider.kind === 'azure';
  try {
    await client.request(
      (abort) =>
        client.openai.post(azure ? '/v1/fine_tuning/alpha/graders/validate' : '/fine_tuning/alpha/graders/validate', {
          body: { grader },
          ...(azure ? { query: { 'api-version': 'v1' } } : {}),
          signal: abort,
        }),
      { signal },
    );
    return undefined;
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 400 || status === 422) return (error as Error).message;
    throw error;
  }
}
