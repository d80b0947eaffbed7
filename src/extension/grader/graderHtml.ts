// The grader editor's HTML document. Pure (no `vscode`): the panel passes webview URIs as strings, and the
// webview tests serve the very same document to check the CSP and nonce for real. It is the coverage
// dashboard's document (one strict CSP for every page: scripts only with the per-render nonce, styles from the
// extension or with the nonce, no inline handlers) with the grader page's script and stylesheet.
import { coverageHtml } from '../coverage/coverageHtml';

export { newNonce } from '../coverage/coverageHtml';

export interface GraderHtmlOptions {
  /** The webview's `cspSource`. */
  readonly cspSource: string;
  /** Fresh per render. */
  readonly nonce: string;
  /** dist/webview/grader.js as a webview URI. */
  readonly scriptUri: string;
  /** media/grader.css as a webview URI. */
  readonly styleUri: string;
  readonly title: string;
}

export function graderHtml(options: GraderHtmlOptions): string {
  return coverageHtml(options);
}
