// The model provider's command that needs the model code: RFT: Test Model Connection (Set API Key is activation's).
import type { Ctx } from '../ctx';
import type { Step } from '../step';
import { testModelConnection } from './chatProvider';

export function modelStep(ctx: Ctx) {
  return { commands: { 'rftStudio.testModelConnection': () => testModelConnection(ctx) } } satisfies Step;
}
