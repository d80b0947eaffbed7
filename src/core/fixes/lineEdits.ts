/** A replacement inside one line: UTF-16 offsets, end exclusive. Maps one-to-one onto an editor TextEdit. */
export interface LineEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

/** Applies non-overlapping edits to a line. */
export function applyLineEdits(text: string, edits: readonly LineEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  let out = text;
  for (const edit of sorted) out = out.slice(0, edit.start) + edit.newText + out.slice(edit.end);
  return out;
}
