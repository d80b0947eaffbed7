// The coverage dashboard's view state: what it shows. Handlers in main.ts change it and call render(), which draws it.
import type { HostMessage } from '../../src/shared/coverageProtocol';

export type CoverageMessage = Extract<HostMessage, { type: 'coverage' }>;

export interface CoveragePageState {
  /** The host's last `coverage` message; undefined while the page loads. */
  coverage?: CoverageMessage;
  /** The busy line's text while the host works. */
  busy?: string;
  /** The error banner's text, until dismissed or the next report. */
  error?: string;
}

export type CoverageSection = 'topics' | 'empty';

/** Which parts of the page show: the topics (chart and table) once there are any, else the empty line. */
export function coverageSections(state: CoveragePageState): Record<CoverageSection, boolean> {
  const hasTopics = (state.coverage?.report.tree.length ?? 0) > 0;
  return { topics: hasTopics, empty: !hasTopics };
}

/** The empty line: no topics yet, or `Loading coverage…` before the host's first report. */
export function emptyText(state: CoveragePageState): string {
  return state.coverage ? 'No topics yet. Run Categorize to place the records in topics.' : 'Loading coverage…';
}
