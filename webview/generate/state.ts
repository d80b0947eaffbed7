// The generation page's view state: what it shows. Handlers in main.ts change it; render() draws it.
import type { HostMessage, StrategyName } from '../../src/shared/generateProtocol';
import type { BannerState } from '../shared/view';

export type SetupMessage = Extract<HostMessage, { type: 'setup' }>;
export type ProgressMessage = Extract<HostMessage, { type: 'progress' }>;
export type FinishedMessage = Extract<HostMessage, { type: 'finished' }>;

export interface GeneratePageState extends BannerState {
  /** The dataset folder the page shows (the key of its saved state). */
  readonly dataset?: string;
  /** The host's last `setup`; undefined while the page loads. */
  readonly setup?: SetupMessage;
  readonly strategy: StrategyName;
  /** The model the user typed (kept across reloads); undefined: the host's default. */
  readonly model?: string;
  /** A run goes: from `started` to `finished`. */
  readonly running: boolean;
  /** Start was pressed and the host has not answered yet. */
  readonly starting: boolean;
  /** Stop was pressed (until the next run starts). */
  readonly stopping: boolean;
  /** A run has shown its figures here (the run section then stays). */
  readonly runShown: boolean;
  /** The latest candidate of the run going. */
  readonly preview?: ProgressMessage['preview'];
  /** Why the last run ended early (it was stopped). */
  readonly notice?: string;
  /** How the last run ended (until the next starts). */
  readonly finished?: FinishedMessage;
}

export type GenerateSection = 'blocker' | 'generateTopics' | 'setup' | 'run' | 'preview' | 'start' | 'stop' | 'notice' | 'result';

/** Which parts of the page show: the setup (unless the dataset has no topics) while no run goes, else the run and Stop. */
export function generateSections(state: GeneratePageState): Record<GenerateSection, boolean> {
  const blocker = state.setup?.blocker;
  const { finished } = state;
  return {
    blocker: Boolean(blocker),
    generateTopics: blocker?.kind === 'noTopics',
    setup: state.setup !== undefined && !state.running && blocker?.kind !== 'noTopics',
    run: state.runShown,
    preview: Boolean(state.preview),
    start: !state.running,
    stop: state.running,
    notice: state.notice !== undefined,
    result: finished !== undefined && (Boolean(finished.result) || finished.outcome !== 'failed'),
  };
}
