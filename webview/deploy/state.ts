// The results and deploy page's view state: what it shows. Handlers in main.ts change it; render() draws it.
import { WEIGHTED_ROUTING_STRATEGY, type DeployMode, type EndpointKind, type HostMessage } from '../../src/shared/deployProtocol';
import type { BannerState } from '../shared/view';

export type DeployMessage = Extract<HostMessage, { type: 'deploy' }>;

export interface DeployPageState extends BannerState {
  /** The host's last `deploy` message; undefined while the page loads. */
  readonly info?: DeployMessage;
  /** A benchmark runs: from `started` (or the first `progress`) to `finished`. */
  readonly running: boolean;
  /** The benchmark's progress line (kept after a run that did not finish). */
  readonly progress: string;
  readonly notice?: string;
  /** The tuned model's form is open (Edit toggles it; it opens by itself while there is no tuned model). */
  readonly tunedFormOpen: boolean;
  /** The endpoint kind chosen in the tuned model's form. */
  readonly endpoint: EndpointKind;
  readonly mode: DeployMode;
  /** The config's router_settings.routing_strategy, when it names one. */
  readonly routingStrategy?: string;
  /** The proxy's admin URL typed (trimmed); empty: deploy writes config.yaml. */
  readonly adminUrl: string;
  /** The host's plan (changes and diff) for the current choice is shown; a changed choice hides it. */
  readonly planShown: boolean;
}

export type DeploySection =
  'notice' | 'tunedForm' | 'baseUrlField' | 'deploymentField' | 'stop' | 'progress' | 'empty' | 'results' | 'regressions' | 'routingNote' | 'modelNameField' | 'aliasField' | 'weightsField' | 'diff';

/** A/B through config.yaml under a routing strategy that ignores weights (LiteLLM would not split the traffic). */
export function weightsIgnored(state: DeployPageState): boolean {
  const strategy = state.routingStrategy;
  return state.mode === 'ab' && strategy !== undefined && strategy !== WEIGHTED_ROUTING_STRATEGY && state.adminUrl === '';
}

/** Which parts of the page show, from the state alone. */
export function deploySections(state: DeployPageState): Record<DeploySection, boolean> {
  const benchmark = state.info?.benchmark;
  return {
    notice: state.notice !== undefined,
    tunedForm: state.tunedFormOpen,
    baseUrlField: state.endpoint !== 'openai',
    deploymentField: state.endpoint === 'azure',
    stop: state.running,
    progress: state.running || state.progress !== '',
    empty: benchmark === undefined,
    results: benchmark !== undefined,
    regressions: (benchmark?.report.regressions.length ?? 0) > 0,
    routingNote: weightsIgnored(state),
    modelNameField: state.mode !== 'alias',
    aliasField: state.mode === 'alias',
    weightsField: state.mode === 'ab',
    diff: state.planShown,
  };
}
