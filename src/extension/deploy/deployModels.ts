// The models and the grading engine of benchmarks and the playground: the base model's default, the base and tuned
// models' clients from the provider layer, and the dataset grader's engine.
import { readTunedModel, tunedProviderOf, type TunedModel } from '../../core/deploy';
import { listRuns, readRun } from '../../core/dryrun';
import { createGradingEngine, type GradingEngine } from '../../core/grader/engine';
import type { readGraderFile } from '../../core/grader/graderFile';
import type { ModelClient } from '../../core/llm/modelClient';
import { needsJudge, type GraderJson } from '../../shared/graderProtocol';
import type { Ctx } from '../ctx';
import { modelClient } from '../llm/modelClient';
import { graderJudge } from '../grader/graderModels';
import { NO_JUDGE, requireGrader, requireProvider } from '../preconditions';

export const NO_TUNED = 'There is no tuned model yet: finish a training job (step 6), or enter the tuned model in Results & Deploy.';

/** The base model benchmarks start with: the newest dry run's, else the one the tuned model came from, else the chat model setting. */
export async function defaultBase(ctx: Ctx, dir: string, tuned: TunedModel | undefined): Promise<string> {
  const [newest] = await listRuns(dir).catch(() => []);
  const model = newest ? (await readRun(newest.path).catch(() => undefined))?.model : undefined;
  return model || tuned?.baseModel || ctx.config.chatModel;
}

/** The base model's client and the tuned model's (its own endpoint when it has one). */
export async function clients(ctx: Ctx, tuned: TunedModel): Promise<{ client: ModelClient; tunedClient: ModelClient }> {
  const provider = await requireProvider(ctx);
  const client = modelClient(ctx, provider);
  const tunedProvider = tunedProviderOf(tuned, provider);
  return { client, tunedClient: tunedProvider === provider ? client : modelClient(ctx, tunedProvider) };
}

/** The grading engine for the dataset's grader, its judge from the provider layer when it asks one. */
export async function engineFor(ctx: Ctx, dir: string): Promise<{ engine: GradingEngine; grader: NonNullable<Awaited<ReturnType<typeof readGraderFile>>> }> {
  const loaded = await requireGrader(dir);
  const asksJudge = needsJudge(loaded.grader as GraderJson);
  const judge = asksJudge ? await graderJudge(ctx) : undefined;
  if (asksJudge && !judge) throw new Error(NO_JUDGE);
  return { engine: createGradingEngine({ judge, trusted: ctx.trusted }), grader: loaded };
}

export async function requireTuned(dir: string): Promise<TunedModel> {
  const tuned = await readTunedModel(dir);
  if (!tuned) throw new Error(NO_TUNED);
  return tuned;
}
