// A located reason a grader does not compile for a target (OpenAI's fine-tuning API, the python reward). Types only,
// so the grader protocol (src/shared/graderProtocol.ts) and the webview can import it.

export interface CompileProblem {
  /** Where in grader.json: "graders.quality", "calculate_output", "" for the whole grader. */
  readonly path: string;
  readonly message: string;
}
