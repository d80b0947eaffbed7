import { GENERIC_TERMS } from './genericTerms';
import { stem } from './localEmbedder';
import { words } from './recordText';

export interface TopicLabel {
  readonly name: string;
  readonly description: string;
  readonly keywords: string[];
}

/** A name term should be in most of its topic's records; below that, terms are added to cover more of them. */
const MOST = 0.5;
const MAX_NAME_TERMS = 3;
const KEYWORDS = 8;
/** A term added to cover more records must cover at least this share of the topic's records that were not covered. */
const MIN_NEW_COVERAGE = 0.1;
const EXAMPLE_CHARS = 90;
/** Shorter requests ("Yes please.") are follow-ups that say little on their own. */
const MIN_EXAMPLE_CHARS = 24;
const SENTENCE_CHARS = 60;

/** A content term of one cluster: stem, how it is written there, in how many of its records, and how distinctive. */
interface Term {
  readonly stem: string;
  readonly word: string;
  readonly share: number;
  /** The share of all records holding the term that are in this cluster. */
  readonly precision: number;
  readonly score: number;
}

/**
 * Offline labels from class-based document frequencies: a content term (no function words, light verbs or
 * general nouns: genericTerms.ts) scores high in a cluster when many of its records contain it and few records of
 * the other clusters do (rankTerms). The name is the one to three best terms that together are in most of the records, in
 * order of how many records hold them, unique among `taken` (a taken name takes the next term). The description
 * says what the records ask, with their number and an example; the keywords are the eight best terms.
 */
export function ctfidfLabels(clusters: readonly (readonly string[])[], taken = new Set<string>()): TopicLabel[] {
  const termSets = clusters.map((texts) => texts.map(contentTerms));
  const everywhere = new Map<string, number>();
  for (const sets of termSets) for (const terms of sets) for (const term of terms.keys()) everywhere.set(term, (everywhere.get(term) ?? 0) + 1);
  return termSets.map((sets, index) => {
    const ranked = rankTerms(sets, everywhere);
    const chosen = nameTerms(ranked, sets);
    const name = uniqueName(chosen, ranked, taken, index);
    return { name, description: describe(clusters[index], chosen), keywords: ranked.slice(0, KEYWORDS).map((term) => term.word) };
  });
}

/** The record's content terms: stem → the word as written (lower case). */
function contentTerms(text: string): Map<string, string> {
  const terms = new Map<string, string>();
  for (const word of words(text)) {
    if (!isContentWord(word)) continue;
    const key = stem(word);
    if (!GENERIC_TERMS.has(key) && !terms.has(key)) terms.set(key, word);
  }
  return terms;
}

/** Not generic, not a number, not a contraction, not an identifier (`ws_orchard`), and nameable in [a-z0-9]. */
function isContentWord(word: string): boolean {
  return !GENERIC_TERMS.has(word) && !/^\d+$/.test(word) && !/['_]/.test(word) && nameable(word) !== '';
}

function nameable(word: string): string {
  return word.normalize('NFD').replace(/[^a-z0-9]/g, '');
}

/**
 * Terms by how well each tells the topic's records from the others: the harmonic mean of the share of the
 * topic's records that hold it and the share of the records holding it that are in the topic (F1), so a term
 * ranks high only when it is both frequent in the topic and rare elsewhere.
 */
function rankTerms(sets: readonly Map<string, string>[], everywhere: ReadonlyMap<string, number>): Term[] {
  const count = new Map<string, number>();
  const written = new Map<string, Map<string, number>>();
  for (const terms of sets)
    for (const [key, word] of terms) {
      count.set(key, (count.get(key) ?? 0) + 1);
      const forms = written.get(key) ?? new Map<string, number>();
      forms.set(word, (forms.get(word) ?? 0) + 1);
      written.set(key, forms);
    }
  const size = Math.max(1, sets.length);
  return [...count]
    .map(([key, n]) => ({ stem: key, word: mostCommon(written.get(key)!), share: n / size, precision: n / everywhere.get(key)!, score: (2 * n) / (size + everywhere.get(key)!) }))
    .sort((a, b) => b.score - a.score || (a.stem < b.stem ? -1 : 1));
}

function mostCommon(counts: ReadonlyMap<string, number>): string {
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
}

/**
 * The best term first; then terms that most records share and that are mostly in this topic; then, while the
 * name covers fewer than most records, the distinctive term (among the keywords) that covers most of the rest.
 */
function nameTerms(ranked: readonly Term[], sets: readonly Map<string, string>[]): Term[] {
  if (ranked.length === 0) return [];
  const chosen = [ranked[0]];
  for (const term of ranked.slice(1, KEYWORDS)) {
    if (chosen.length === MAX_NAME_TERMS) break;
    if (term.share >= MOST && term.precision >= MOST) chosen.push(term);
  }
  const covered = (terms: readonly Term[]) => sets.filter((set) => terms.some((term) => set.has(term.stem))).length;
  while (chosen.length < MAX_NAME_TERMS && covered(chosen) < sets.length * MOST) {
    const uncovered = sets.length - covered(chosen);
    const best = ranked
      .slice(1, KEYWORDS)
      .filter((term) => !chosen.includes(term))
      .map((term) => ({ term, gain: covered([...chosen, term]) - covered(chosen) }))
      .sort((a, b) => b.gain - a.gain || b.term.score - a.term.score)[0];
    if (!best || best.gain < Math.max(1, uncovered * MIN_NEW_COVERAGE)) break;
    chosen.push(best.term);
  }
  return byShare(chosen);
}

const byShare = (terms: readonly Term[]) => [...terms].sort((a, b) => b.share - a.share || b.score - a.score);
const nameOf = (terms: readonly Term[]) => terms.map((term) => nameable(term.word)).join('_');

/** The name, or when it is taken, the name with the next best term added (or in place of the last); else numbered. */
function uniqueName(chosen: readonly Term[], ranked: readonly Term[], taken: Set<string>, index: number): string {
  const base = nameOf(chosen) || `topic_${index + 1}`;
  let name = base;
  for (const next of ranked.filter((term) => !chosen.includes(term))) {
    if (!taken.has(name)) break;
    name = nameOf(byShare([...(chosen.length < MAX_NAME_TERMS ? chosen : chosen.slice(0, -1)), next]));
  }
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
  taken.add(name);
  return name;
}

/** "Questions about SSO and SAML — 18 records, e.g. “We're setting up SAML SSO with Okta…”". */
function describe(texts: readonly string[], chosen: readonly Term[]): string {
  const count = `${texts.length.toLocaleString('en-US')} record${texts.length === 1 ? '' : 's'}`;
  if (chosen.length === 0) return `Requests with little text — ${count}.`;
  const lines = texts.map(lastLine);
  const questions = lines.filter(isQuestion).length;
  const kind = questions * 2 >= lines.length ? 'Questions' : 'Requests';
  const terms = chosen.map((term) => asWritten(term.word, texts));
  const example = exampleLine(lines, chosen);
  return `${kind} about ${listed(terms)} — ${count}${example ? `, e.g. “${example}”` : ''}.`;
}

/** Record texts end with the request itself (recordText puts the last user turn last). */
function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return (lines[lines.length - 1] ?? '').replace(/\s+/g, ' ');
}

function isQuestion(line: string): boolean {
  return line.includes('?') || /^(how|what|which|who|when|where|why|can|could|is|are|do|does|did|will|would|should|may)\b/i.test(line);
}

/** The request that holds the most name terms itself, of about a sentence's length; cut at a word near EXAMPLE_CHARS. */
function exampleLine(lines: readonly string[], chosen: readonly Term[]): string | undefined {
  const hits = (line: string) => {
    const terms = contentTerms(line);
    return chosen.filter((term) => terms.has(term.stem)).length;
  };
  const best = lines
    .map((line) => ({ line, hits: hits(line) }))
    .filter((entry) => entry.line.length >= MIN_EXAMPLE_CHARS)
    .sort((a, b) => b.hits - a.hits || Math.abs(a.line.length - SENTENCE_CHARS) - Math.abs(b.line.length - SENTENCE_CHARS))[0];
  if (!best) return undefined;
  if (best.line.length <= EXAMPLE_CHARS) return best.line;
  const cut = best.line.slice(0, EXAMPLE_CHARS);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), EXAMPLE_CHARS / 2))}…`;
}

/** An acronym or product name as the records write it ("SSO", "BigQuery"), any other word in lower case. */
function asWritten(word: string, texts: readonly string[]): string {
  const forms = new Map<string, number>();
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'giu');
  for (const text of texts) for (const match of text.matchAll(pattern)) forms.set(match[0], (forms.get(match[0]) ?? 0) + 1);
  if (forms.size === 0) return word;
  const form = mostCommon(forms);
  const total = [...forms.values()].reduce((a, b) => a + b, 0);
  const special = form !== word && (/[A-Z]/.test(form.slice(1)) || forms.get(form)! * 5 >= total * 4);
  return special ? form : word;
}

function listed(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
