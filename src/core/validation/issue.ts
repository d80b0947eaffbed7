import type { Severity, ValidationCode } from './codes';

/** A path into a record, as jsonc-parser understands it: property names and array indices. */
export type JsonPath = (string | number)[];

/** What a check found, before it is located on the line. */
export interface Finding {
  readonly code: ValidationCode;
  readonly message: string;
  /** Where in the record; empty for the whole line. */
  readonly path: JsonPath;
  /** Underline the property name at `path` instead of its value. */
  readonly onKey?: boolean;
}

/** A located finding: character offsets are UTF-16 code units within the line text, end exclusive. */
export interface LineIssue {
  readonly code: ValidationCode;
  readonly severity: Severity;
  readonly message: string;
  readonly path: JsonPath;
  readonly start: number;
  readonly end: number;
}
