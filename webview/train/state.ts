// The training page's view state: what it shows. Handlers in main.ts change it; render() draws it.
import { isFinished, type HostMessage, type JobView } from '../../src/shared/trainProtocol';
import type { BannerState } from '../shared/view';

export type TrainMessage = Extract<HostMessage, { type: 'train' }>;
export type LaunchFailed = Extract<HostMessage, { type: 'launchFailed' }>;

export interface TrainPageState extends BannerState {
  /** The host's last `train` message; undefined while the page loads. */
  readonly info?: TrainMessage;
  /** The job the page follows (the dataset's newest). */
  readonly job?: JobView;
  /** New Training Job… was pressed: the form shows again under the finished job. */
  readonly formRequested: boolean;
  /** Start was pressed and the job is being launched. */
  readonly launching: boolean;
  /** Why the last launch failed, until the next try. */
  readonly launchFailed?: LaunchFailed;
}

export type TrainSection = 'runDryRun' | 'launchError' | 'launchRunDryRun' | 'form' | 'startBar';

/** A job that has not finished yet. */
export function jobActive(state: TrainPageState): boolean {
  return state.job !== undefined && !isFinished(state.job.status);
}

/** Which parts of the page show: the start form unless a job runs (or finished, until New Training Job…). */
export function trainSections(state: TrainPageState): Record<TrainSection, boolean> {
  const gate = state.info?.gate;
  const formShown = !jobActive(state) && (state.job === undefined || state.formRequested);
  return {
    runDryRun: state.info !== undefined && (gate === undefined || gate.decision === 'NO-GO' || gate.decision === null),
    launchError: state.launchFailed !== undefined,
    launchRunDryRun: state.launchFailed?.action === 'runDryRun',
    form: formShown,
    startBar: formShown,
  };
}
