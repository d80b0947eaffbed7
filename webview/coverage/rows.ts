import type { TopicCoverage } from '../../src/shared/coverageProtocol';

/** One line of the chart and the table: a top topic, or a leaf of an expanded top topic. */
export interface TopicRow {
  readonly topic: TopicCoverage;
  readonly expandable: boolean;
  readonly expanded: boolean;
}

export function visibleRows(tree: readonly TopicCoverage[], expanded: ReadonlySet<string>): TopicRow[] {
  const rows: TopicRow[] = [];
  for (const topic of tree) {
    const expandable = topic.children.length > 0;
    const isOpen = expandable && expanded.has(topic.path);
    rows.push({ topic, expandable, expanded: isOpen });
    if (isOpen) rows.push(...topic.children.map((child) => ({ topic: child, expandable: false, expanded: false })));
  }
  return rows;
}

/** The topics targets are set on: the leaves, where a top topic without children is its own leaf. */
export function leavesOf(tree: readonly TopicCoverage[]): TopicCoverage[] {
  return tree.flatMap((topic) => (topic.children.length > 0 ? [...topic.children] : [topic]));
}

export function isLeaf(topic: TopicCoverage): boolean {
  return topic.children.length === 0;
}
