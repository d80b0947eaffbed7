// A rough cost or GPU-hours figure for the start form, labelled as an estimate with its assumptions: hosted RFT is
// billed by training time, the open engines use your GPUs. Settings left on "auto" count as 1.
import { BACKENDS, type StartRequest } from '../../src/shared/trainProtocol';
import { formatCount } from '../dryrun/format';

/** Hosted RFT's published price per hour of training (o4-mini). */
const HOSTED_USD_PER_HOUR = 100;
/** Graded training samples a hosted job gets through in an hour (an assumption: it varies with answer length and grader). */
const HOSTED_SAMPLES_PER_HOUR = 1_500;
/** Open engines: answers per optimizer step (the bundles' default batch), tokens per answer, generated tokens per second per GPU. */
const ENGINE_ANSWERS_PER_STEP = 4;
const ENGINE_TOKENS_PER_ANSWER = 300;
const ENGINE_TOKENS_PER_SECOND = 1_500;

const numberOr = (value: number | string | undefined, fallback: number): number => (typeof value === 'number' ? value : fallback);

export function estimateText(request: StartRequest, trainRecords: number): string {
  const spec = BACKENDS[request.backend];
  const settings = request.hyperparameters;
  if (spec.hosted) {
    const epochs = numberOr(settings.n_epochs, 1);
    const samples = trainRecords * epochs * numberOr(settings.compute_multiplier, 1);
    const hours = samples / HOSTED_SAMPLES_PER_HOUR;
    return `Estimate: ~${formatCount(Math.round(samples))} graded samples (${formatCount(trainRecords)} records × ${epochs} epoch${epochs === 1 ? '' : 's'}), ~${hours.toFixed(1)} h of training, ~$${Math.max(1, Math.round(hours * HOSTED_USD_PER_HOUR))} at $${HOSTED_USD_PER_HOUR} per training hour. ${spec.label} bills by training time; assumes ~${formatCount(HOSTED_SAMPLES_PER_HOUR)} samples an hour, "auto" counted as 1.`;
  }
  const generations = numberOr(settings.num_generations, 4);
  const steps = typeof settings.max_steps === 'number' ? settings.max_steps : Math.ceil((trainRecords * generations) / ENGINE_ANSWERS_PER_STEP);
  const answers = steps * ENGINE_ANSWERS_PER_STEP;
  const passes = trainRecords > 0 ? answers / generations / trainRecords : 0;
  const gpuHours = (answers * ENGINE_TOKENS_PER_ANSWER) / ENGINE_TOKENS_PER_SECOND / 3600;
  return `Estimate: ~${formatCount(answers)} generated answers (${formatCount(steps)} steps × ${ENGINE_ANSWERS_PER_STEP}, ${generations} per prompt), ~${passes.toFixed(1)} passes over the split, ~${gpuHours < 1 ? gpuHours.toFixed(2) : gpuHours.toFixed(1)} GPU-hours. Assumes the bundle's batch of ${ENGINE_ANSWERS_PER_STEP} answers a step, ~${ENGINE_TOKENS_PER_ANSWER} tokens an answer at ~${formatCount(ENGINE_TOKENS_PER_SECOND)} tokens/s per GPU (a 7B model on one recent GPU).`;
}

/** Train and validation counts the split will give, as the form shows them before the split is made. */
export function splitCounts(valid: number, generated: number, validShare: number, generatedInValid: boolean): { train: number; valid: number } {
  const eligible = generatedInValid ? valid : valid - generated;
  const held = Math.min(Math.max(0, eligible), Math.max(valid > 1 ? 1 : 0, Math.round(valid * validShare)));
  return { train: valid - held, valid: held };
}
