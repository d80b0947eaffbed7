import { checkedFilter, type RecordsFilter, type RecordsViewState, type WebviewMessage } from '../../src/shared/recordsProtocol';
import { hostApi, type HostApi } from '../shared/vscodeApi';

/** The host API, typed to the records protocol. */
export type RecordsHostApi = HostApi<WebviewMessage, RecordsViewState>;

export function recordsHostApi(): RecordsHostApi {
  return hostApi(asViewState);
}

function asViewState(value: unknown): RecordsViewState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { dataset, filter, offset, selected } = value as Partial<RecordsViewState>;
  if (typeof dataset !== 'string') return undefined;
  let checked: RecordsFilter | undefined;
  try {
    checked = checkedFilter(filter);
  } catch {
    checked = undefined;
  }
  const validSelection = selected && typeof selected.file === 'string' && Number.isInteger(selected.line) ? { file: selected.file, line: selected.line } : undefined;
  return {
    dataset,
    ...(checked ? { filter: checked } : {}),
    ...(Number.isInteger(offset) && (offset as number) >= 0 ? { offset } : {}),
    ...(validSelection ? { selected: validSelection } : {}),
  };
}
