import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import { severityOf } from './codes';
import type { Finding, LineIssue } from './issue';

/**
 * Places findings on the line: the character range of the value (or property name) at each finding's path,
 * so a diagnostic underlines the bad value rather than the whole line. Parses the line with jsonc-parser only
 * when there is something to locate.
 */
export function locateFindings(line: string, findings: readonly Finding[]): LineIssue[] {
  if (findings.length === 0) return [];
  const root = safeParseTree(line);
  return findings.map((finding) => {
    const range = root ? rangeOf(root, finding) : undefined;
    return {
      code: finding.code,
      severity: severityOf(finding.code),
      message: finding.message,
      path: finding.path,
      start: range?.start ?? 0,
      end: range?.end ?? line.length,
    };
  });
}

function safeParseTree(line: string): Node | undefined {
  try {
    return parseTree(line, [], { disallowComments: true }) ?? undefined;
  } catch {
    return undefined; // nesting deeper than jsonc-parser's recursion allows: fall back to the whole line
  }
}

function rangeOf(root: Node, finding: Finding): { start: number; end: number } | undefined {
  if (finding.path.length === 0) return { start: root.offset, end: root.offset + root.length };
  let path = finding.path;
  let node = findNodeAtLocation(root, path);
  let onKey = finding.onKey === true;
  while (!node && path.length > 0) {
    path = path.slice(0, -1);
    node = path.length === 0 ? root : findNodeAtLocation(root, path);
    onKey = false;
  }
  if (!node) return undefined;
  const target = onKey && node.parent?.type === 'property' && node.parent.children ? node.parent.children[0] : node;
  return { start: target.offset, end: target.offset + target.length };
}
