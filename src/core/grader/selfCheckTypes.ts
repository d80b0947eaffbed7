// What the grader self-check reports: how the references and the controls scored, how well the grader separates
// them (AUC) and its verdict. Types only, so the grader protocol (src/shared/graderProtocol.ts) and the webview can
// import them; selfCheck.ts runs the check.
import type { GraderErrorCode } from './gradeResult';

export interface ScoreSummary {
  readonly n: number;
  readonly mean: number;
}

export interface SelfCheckReport {
  readonly references: ScoreSummary;
  readonly controls: { readonly empty: ScoreSummary; readonly otherRecord: ScoreSummary; readonly padded: ScoreSummary };
  /** P(a reference scores above a control), ties half: 1 separates perfectly, 0.5 is chance. */
  readonly auc: number;
  /** The same, references vs other records' answers only: can the grader tell answers apart by content? */
  readonly aucOtherRecord: number;
  readonly errors: Partial<Record<GraderErrorCode, number>>;
  /** Records left out because they lack a field the grader reads (see findings). */
  readonly notApplicable?: number;
  readonly verdict: 'ok' | 'warning' | 'fail';
  readonly findings: string[];
}
