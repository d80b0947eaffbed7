import type { CoverageReport, RecordFilter, TopicCoverage } from '../../src/shared/coverageProtocol';

const integer = new Intl.NumberFormat('en-US');

/** 1500 → "1,500". */
export function formatCount(n: number): string {
  return integer.format(n);
}

/** 0.075 → "7.5%". */
export function formatShare(share: number, digits = 1): string {
  return `${(share * 100).toFixed(digits)}%`;
}

export function balanceText(report: CoverageReport): string {
  const rating = report.rating.charAt(0).toUpperCase() + report.rating.slice(1);
  return `Balance Score: ${report.balance.toFixed(2)} (${rating})`;
}

/** The recommendation for a topic under its target, e.g. `⚠ "calculations" has only 7.5% — Recommended: Generate ~1,500 more`. */
export function gapWarning(topic: TopicCoverage): string {
  // A top topic's gap is the sum of its leaves' gaps: it can be over its own target while some leaves are thin.
  if (topic.children.length > 0 && topic.share >= topic.target) return `⚠ Some subtopics of "${topic.name}" are thin — Recommended: Generate ~${formatCount(topic.gap)} more`;
  const have = topic.count === 0 ? 'has no records' : `has only ${formatShare(topic.share)}`;
  return `⚠ "${topic.name}" ${have} — Recommended: Generate ~${formatCount(topic.gap)} more`;
}

export function filterTitle(filter: RecordFilter): string {
  switch (filter.kind) {
    case 'topic':
      return `Records in "${filter.path}"`;
    case 'lowConfidence':
      return filter.path ? `Low-confidence records in "${filter.path}"` : 'Low-confidence records';
    case 'uncategorized':
      return 'Uncategorized records';
  }
}
