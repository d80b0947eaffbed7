// Every webview page's HTML document (the coverage dashboard, the grader editor). Pure (no `vscode`): the panel
// passes webview URIs as strings, and the webview tests serve the very same document to check the CSP and nonce
// for real. One strict CSP for every page: scripts only with the per-render nonce, styles from the extension or
// with the nonce, no inline handlers.
import { randomBytes } from 'node:crypto';

export interface WebviewHtmlOptions {
  /** The webview's `cspSource` (where its scripts, styles and fonts may come from). */
  readonly cspSource: string;
  /** Fresh per render; only scripts and styles carrying it run. */
  readonly nonce: string;
  /** The page's bundle (dist/webview/<page>.js) as a webview URI. */
  readonly scriptUri: string;
  /** The page's stylesheets (pageStylesheets) as webview URIs, in that order. */
  readonly styleUris: readonly string[];
  readonly title: string;
}

/** A page's stylesheets, files in media/, in cascade order: the base every page shares, then the page's own. */
export function pageStylesheets(page: string): string[] {
  return ['webview.css', `${page}.css`];
}

/** 24 random bytes, base64url: 32 characters. */
export function newNonce(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * The document with a strict CSP: scripts only with the nonce, styles from the extension or with the nonce.
 * The `csp-nonce` meta is where the toolkit (FAST) finds the nonce for the one <style> it creates (a feature test).
 */
export function webviewHtml(options: WebviewHtmlOptions): string {
  const { cspSource, nonce, scriptUri, styleUris, title } = options;
  const csp = ["default-src 'none'", `img-src ${cspSource} data:`, `style-src ${cspSource} 'nonce-${nonce}'`, `font-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeAttribute(`${csp};`)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <meta property="csp-nonce" content="${escapeAttribute(nonce)}">
${styleUris.map((uri) => `  <link rel="stylesheet" nonce="${escapeAttribute(nonce)}" href="${escapeAttribute(uri)}">`).join('\n')}
  <title>${escapeText(title)}</title>
</head>
<body>
  <main id="root"></main>
  <script nonce="${escapeAttribute(nonce)}" src="${escapeAttribute(scriptUri)}"></script>
</body>
</html>
`;
}

export function escapeAttribute(value: string): string {
  return value.replace(/[&"'<>]/g, (ch) => ENTITIES[ch] ?? ch);
}

function escapeText(value: string): string {
  return value.replace(/[&<>]/g, (ch) => ENTITIES[ch] ?? ch);
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '"': '&quot;', "'": '&#39;', '<': '&lt;', '>': '&gt;' };
