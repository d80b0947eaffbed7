// The dry-run page's saved state (kept by VS Code across reloads), read back and checked field by field.
import type { DryRunViewState, SampleFilter } from '../../src/shared/dryRunProtocol';

const FILTERS: readonly SampleFilter[] = ['lowest', 'highest', 'errors', 'topic'];

/** The state the page saved (across reloads), checked: undefined when it is not this page's. */
export function savedDryRunState(value: unknown): DryRunViewState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { dataset, filter, topic } = value as Partial<DryRunViewState>;
  if (typeof dataset !== 'string') return undefined;
  return {
    dataset,
    ...(filter !== undefined && FILTERS.includes(filter) ? { filter } : {}),
    ...(typeof topic === 'string' ? { topic } : {}),
  };
}
