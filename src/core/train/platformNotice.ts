// What OpenAI's end of self-serve fine-tuning means for a job launched now (OpenAI's deprecations timeline, copied in
// test/fixtures/vendor/openai/platform-facts.json): organisations that never ran a fine-tuning job lost it on
// 2026-05-07, those without inference on a fine-tuned model in the past 60 days on 2026-07-02, and no one creates
// jobs after 2027-01-06. Pure, so the date rule is tested with any `now`; whether this organisation still may is
// asked of the API itself before anything is uploaded (the hosted backend's preflight).
import type { BackendId } from './jobFile';

/** Organisations without prior fine-tuning history cannot create jobs since this day. */
export const OPENAI_NEW_ORGS_CUTOFF = '2026-05-07';
/** Organisations without inference on a fine-tuned model in the past 60 days cannot create jobs since this day. */
export const OPENAI_INACTIVE_CUTOFF = '2026-07-02';
/** The last day (UTC) OpenAI accepts new self-serve fine-tuning jobs from anyone. */
export const OPENAI_LAST_DAY = '2027-01-06';
const CUTOFF_MS = Date.parse(`${OPENAI_LAST_DAY}T00:00:00Z`) + 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PlatformNotice {
  /** `refuse`: the backend takes no new job; launchTraining stops before uploading anything. */
  readonly level: 'warning' | 'refuse';
  readonly text: string;
}

const ELSEWHERE = 'azure (the same fine-tuning API on Azure OpenAI), trl (GRPO on one GPU machine) or verl (a Ray cluster)';

export function platformNotice(now: Date, backend: BackendId): PlatformNotice | undefined {
  if (backend !== 'openai') return undefined;
  const left = CUTOFF_MS - now.getTime();
  if (left <= 0) {
    return { level: 'refuse', text: `OpenAI takes no new self-serve fine-tuning jobs after ${OPENAI_LAST_DAY}: train with ${ELSEWHERE} instead; the split and grader.json carry over unchanged.` };
  }
  const days = Math.ceil(left / DAY_MS);
  return {
    level: 'warning',
    text:
      `OpenAI stops new self-serve fine-tuning jobs after ${OPENAI_LAST_DAY} (${days} day${days === 1 ? '' : 's'} left): this job can still be launched only if your organisation kept access — ` +
      `organisations that never ran a fine-tuning job lost it on ${OPENAI_NEW_ORGS_CUTOFF}, and those without inference on a fine-tuned model in the past 60 days on ${OPENAI_INACTIVE_CUTOFF}. ` +
      `The launch asks OpenAI first and uploads nothing if it refuses. Otherwise train this dataset with ${ELSEWHERE} (the split and grader.json carry over unchanged).`,
  };
}
