import type { DryRunViewState, SampleFilter, WebviewMessage } from '../../src/shared/dryRunProtocol';
import { hostApi, type HostApi } from '../shared/vscodeApi';

/** The host API, typed to the dry-run protocol. */
export type DryRunHostApi = HostApi<WebviewMessage, DryRunViewState>;

export function dryRunHostApi(): DryRunHostApi {
  return hostApi(asViewState);
}

const FILTERS: readonly SampleFilter[] = ['lowest', 'highest', 'errors', 'topic'];

function asViewState(value: unknown): DryRunViewState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { dataset, filter, topic } = value as Partial<DryRunViewState>;
  if (typeof dataset !== 'string') return undefined;
  return {
    dataset,
    ...(filter !== undefined && FILTERS.includes(filter) ? { filter } : {}),
    ...(typeof topic === 'string' ? { topic } : {}),
  };
}
