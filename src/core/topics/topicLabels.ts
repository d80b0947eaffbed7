import { stem } from './localEmbedder';
import { words } from './recordText';

export interface TopicLabel {
  readonly name: string;
  readonly description: string;
  readonly keywords: string[];
}

/**
 * Offline labels by class-based TF-IDF: a word scores high in a cluster when it is frequent there and rare in the
 * others. The top words make a snake_case name, a one-sentence description and the keywords. Names are unique
 * among `taken`.
 */
export function ctfidfLabels(clusters: readonly (readonly string[])[], taken = new Set<string>()): TopicLabel[] {
  const perCluster = clusters.map((texts) => {
    const counts = new Map<string, number>();
    for (const text of texts) for (const word of words(text)) counts.set(word, (counts.get(word) ?? 0) + 1);
    return counts;
  });
  const total = new Map<string, number>();
  let wordsInAll = 0;
  for (const counts of perCluster) for (const [word, n] of counts) {
    total.set(word, (total.get(word) ?? 0) + n);
    wordsInAll += n;
  }
  const average = wordsInAll / Math.max(1, clusters.length);
  return perCluster.map((counts, index) => {
    const size = [...counts.values()].reduce((a, b) => a + b, 0) || 1;
    const ranked = [...counts]
      .filter(([word]) => !/^\d+$/.test(word))
      .map(([word, n]) => [word, (n / size) * Math.log(1 + average / (total.get(word) ?? 1))] as const)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const stems = new Set<string>();
    const keywords = ranked
      .map(([word]) => word)
      .filter((word) => !stems.has(stem(word)) && stems.add(stem(word)) !== undefined) // "invoice" and "invoices" once
      .slice(0, 8);
    const base = keywords.slice(0, 3).join('_').replace(/[^a-z0-9_]/g, '') || `topic_${index + 1}`;
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
    taken.add(name);
    const description = keywords.length > 0 ? `Requests about ${keywords.slice(0, 3).join(', ')}${keywords.length > 3 ? ` (also ${keywords.slice(3, 6).join(', ')})` : ''}.` : 'Requests with little text.';
    return { name, description, keywords };
  });
}
