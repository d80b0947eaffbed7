// What Test Sample reports: each record's prompt, the answer graded (and where it came from) and the grade. Types
// only, so the grader protocol (src/shared/graderProtocol.ts) and the webview can import them; testSample.ts runs it.
import type { GradeResult } from './gradeResult';

/** Who gave the answer: the base model, the record's reference answer, or text the user typed. */
export type AnswerSource = 'model' | 'reference' | 'typed';

export interface TestSampleRow {
  /** Relative to the dataset folder. */
  readonly file: string;
  readonly line: number;
  readonly prompt: string;
  readonly answer: string;
  readonly answerSource: AnswerSource;
  readonly result: GradeResult;
  /** Why the model gave nothing to grade (`empty_answer: …`, `answer_failed: …`); the row then scores 0 ungraded. */
  readonly answerError?: string;
}

export interface TestSampleResult {
  readonly rows: TestSampleRow[];
  readonly mean: number;
}
