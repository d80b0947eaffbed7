// What OpenAI's end of self-serve fine-tuning means for a job launched now (DESIGN §5: "no new jobs for anyone
// after 2027-01-06"). Pure, so the date rule is tested with any `now`.
import type { BackendId } from './jobFile';

/** The last day (UTC) OpenAI accepts new self-serve fine-tuning jobs. */
export const OPENAI_LAST_DAY = '2027-01-06';
const CUTOFF_MS = Date.parse(`${OPENAI_LAST_DAY}T00:00:00Z`) + 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PlatformNotice {
  /** `refuse`: the backend takes no new job; launchTraining stops before uploading anything. */
  readonly level: 'warning' | 'refuse';
  readonly text: string;
}

export function platformNotice(now: Date, backend: BackendId): PlatformNotice | undefined {
  if (backend !== 'openai') return undefined;
  const left = CUTOFF_MS - now.getTime();
  const elsewhere = 'azure (the same fine-tuning API on Azure OpenAI), trl (GRPO on one GPU machine) or verl (a Ray cluster)';
  if (left <= 0) {
    return { level: 'refuse', text: `OpenAI takes no new self-serve fine-tuning jobs after ${OPENAI_LAST_DAY}: train with ${elsewhere} instead; the split and grader.json carry over unchanged.` };
  }
  const days = Math.ceil(left / DAY_MS);
  return {
    level: 'warning',
    text: `OpenAI stops new self-serve fine-tuning jobs after ${OPENAI_LAST_DAY} (${days} day${days === 1 ? '' : 's'} left): this job can still be launched; after that day, train this dataset with ${elsewhere} (the split and grader.json carry over unchanged).`,
  };
}
