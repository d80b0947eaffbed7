import type { ValidationCode } from '../validation/codes';

export type { RecordOrigin, RecordRow, RecordsFilter, RecordsPage, RecordStatus } from '../../shared/recordsProtocol';

/** Figures of the indexed lines, per origin. */
export interface OriginCounts {
  total: number;
  valid: number;
  invalid: number;
  duplicates: number;
}

export interface RecordsCounts {
  readonly traces: OriginCounts;
  readonly generated: OriginCounts;
  /** Valid records (first occurrences) with a topic. */
  readonly categorized: number;
  /** Valid records with a topic placed below LOW_CONFIDENCE. */
  readonly lowConfidence: number;
  /** Valid records per leaf topic. */
  readonly byLeaf: ReadonlyMap<string, number>;
  /** Lines per validation code. */
  readonly byCode: Partial<Record<ValidationCode, number>>;
}

/** A refused or impossible records operation: the message says what and why. */
export class RecordsError extends Error {}
