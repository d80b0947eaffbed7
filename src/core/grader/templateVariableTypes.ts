// A variable a grader's templates may use ("{{item.reference_answer}}"), as the grader editor's "Insert variable"
// chips offer it. Types only, so the grader protocol (src/shared/graderProtocol.ts) and the webview can import it;
// templateVariables.ts finds a dataset's variables.

/** A variable a template may use, from the dataset's own records (item) or the answer (sample). */
export interface TemplateVariable {
  /** "item.reference_answer", "sample.output_text". */
  readonly path: string;
  /** Share of the valid records that have it, 0..1 (sample variables: 1). */
  readonly share: number;
  /** A short example value from the first record with it. Untrusted: text only. */
  readonly example?: string;
}
