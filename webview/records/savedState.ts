// The records page's saved state (kept by VS Code across reloads), read back and checked field by field.
import { checkedFilter, type RecordsFilter, type RecordsViewState } from '../../src/shared/recordsProtocol';

/** The state the page saved (across reloads), checked: undefined when it is not this page's. */
export function savedRecordsState(value: unknown): RecordsViewState | undefined {
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
