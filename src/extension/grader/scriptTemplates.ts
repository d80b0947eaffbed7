// What a new graders/<name>.py|.js starts with when the editor's "Open" button creates it: a working grader that
// shows the signature and what it gets (docs/grader.md §Semantics), for the user to rewrite.

const PYTHON = `# A python grader, as OpenAI's fine-tuning API runs it: grade(sample, item) returns a float (usually 0..1).
#   sample: {"output_text": str, "output_json": dict | list | None, "output_tools": [tool calls], "choices": [...]}
#   item:   the record's own fields, e.g. item["reference_answer"], item["messages"]
# It runs in a sandbox with the standard library only: no files, network or host, and a time and memory limit.


def grade(sample, item) -> float:
    answer = (sample.get("output_text") or "").strip()
    reference = str(item.get("reference_answer") or "").strip()
    if not answer:
        return 0.0
    if not reference:
        return 1.0
    return 1.0 if reference.lower() in answer.lower() else 0.0
`;

/** The types of `grade(input)` (media/grader-js.d.ts), copied beside a new js grader for completion. */
export const JS_TYPES_FILE = 'grader-js.d.ts';

const JAVASCRIPT = `/// <reference path="./${JS_TYPES_FILE}" />
// A JavaScript grader (RFT Studio's js kind): grade(input) returns a number from 0 to 1.
//   input.sample:   { output_text, output_json, output_tools, choices }  (the answer)
//   input.item:     the record's own fields, e.g. input.item.reference_answer
//   input.messages, input.response, input.lastUserMessage, input.systemPrompt, input.tools, input.toolCalls
// It runs in QuickJS: no require, process, files or network, and a time and memory limit.
// OpenAI and Azure cannot run js graders: for hosted training write it in Python.

/** @param {GraderInput} input @returns {number} a score in 0..1 */
function grade(input) {
  const answer = (input.response || '').trim();
  const reference = String(input.item.reference_answer || '').trim();
  if (!answer) return 0;
  if (!reference) return 1;
  return answer.toLowerCase().includes(reference.toLowerCase()) ? 1 : 0;
}
`;

export function scriptTemplate(kind: 'js' | 'python'): string {
  return kind === 'js' ? JAVASCRIPT : PYTHON;
}
