// The dry-run page's view state: what it shows. Handlers in main.ts change it; render() draws it.
import type { HostMessage, SampleFilter } from '../../src/shared/dryRunProtocol';
import type { BannerState } from '../shared/view';

export type DryRunMessage = Extract<HostMessage, { type: 'dryRun' }>;

export interface DryRunPageState extends BannerState {
  /** The dataset folder the page shows (the key of its saved state). */
  readonly dataset?: string;
  /** The host's last `dryRun` message; undefined while the page loads. */
  readonly info?: DryRunMessage;
  /** A run is going: from `started` (or the first `progress`) to `finished`. */
  readonly running: boolean;
  /** Why the last run ended early (it was stopped). */
  readonly notice?: string;
  readonly filter: SampleFilter;
  readonly topic?: string;
}

export type DryRunSection = 'progress' | 'stop' | 'result' | 'details' | 'histogram' | 'empty' | 'notice' | 'stale' | 'compare' | 'topicFilter';

/** Which parts of the page show: the run's progress while one goes, else its result, or the empty line when there is none. */
export function dryRunSections(state: DryRunPageState): Record<DryRunSection, boolean> {
  const run = state.info?.run;
  const resultShown = !state.running && run !== undefined;
  return {
    progress: state.running,
    stop: state.running,
    result: resultShown,
    details: resultShown,
    histogram: state.running || run !== undefined,
    empty: !state.running && run === undefined,
    notice: state.notice !== undefined,
    stale: Boolean(run?.stale),
    compare: Boolean(state.info?.previous),
    topicFilter: state.filter === 'topic',
  };
}

/** The empty line: why there is no run yet, or `Loading…` before the host's first message. */
export function emptyText(info: DryRunMessage | undefined): string {
  if (!info) return 'Loading…';
  return info.canRun
    ? 'No dry run yet. Run Dry Run… answers a sample of prompts with the base model, scores the answers with the grader and decides GO, CAUTION or NO-GO.'
    : `No dry run yet. ${info.cannotRunReason ?? ''}`.trim();
}
