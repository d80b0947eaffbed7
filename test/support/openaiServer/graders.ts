import type OpenAI from 'openai';
import { invalidType, missingParameter } from './errors';
import { NO_GRADER_ERRORS, runGrader } from './graderRun';
import { sampleNamespace } from './graderTemplates';
import { validateGrader } from './graderValidation';
import { json } from './http';
import type { Route } from './routing';
import { jsonBody } from './validation';

export const graderRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/fine_tuning/alpha/graders/validate',
    handle: (request) => json({ grader: validateGrader(jsonBody(request).grader, 'grader', { vendor: request.azure ? 'azure' : 'openai' }) }),
  },
  {
    method: 'POST',
    pattern: '/fine_tuning/alpha/graders/run',
    handle: async (request, context) => {
      const body = jsonBody(request);
      const grader = validateGrader(body.grader, 'grader', { vendor: request.azure ? 'azure' : 'openai' });
      if (body.model_sample === undefined || body.model_sample === null) throw missingParameter('model_sample');
      if (typeof body.model_sample !== 'string') throw invalidType('model_sample', 'a string');
      const started = performance.now();
      const result = await runGrader(context, grader, { item: body.item ?? {}, sample: sampleNamespace(body.model_sample) });
      const totalTokens = Object.values(result.tokenUsage).reduce((sum, usage) => sum + usage.total_tokens, 0);
      const response: OpenAI.FineTuning.Alpha.GraderRunResponse = {
        reward: result.reward,
        metadata: {
          name: String(grader.name),
          type: String(grader.type),
          errors: { ...NO_GRADER_ERRORS, ...result.errors },
          execution_time: (performance.now() - started) / 1000,
          scores: grader.type === 'multi' ? result.subRewards : {},
          token_usage: result.sampledModelName ? totalTokens : null,
          sampled_model_name: result.sampledModelName,
        },
        sub_rewards: result.subRewards,
        model_grader_token_usage_per_model: result.tokenUsage,
      };
      return json(response);
    },
  },
];
