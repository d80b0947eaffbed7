// The dataset summary (spec Display F): totals by origin and validation, coverage, and "Ready for RFT" with what
// is missing. A pure function over a few figures; the figures come from a dataset reading (the tree, `rft
// status`) or from the records index (the records browser, where they are exact).
import type { CountShare, DatasetSummary, ReadinessItem } from './datasetSummaryTypes';
import { GENERATED_FILE } from '../dataset/manifest';
import { balanceOf, balanceRating } from '../topics/balance';
import type { HealthCounts } from '../validation/health';
import type { DatasetReading } from './snapshot';
import type { DatasetSnapshot } from './pipelineState';

/**
 * Below this many valid records a dataset is not ready: OpenAI's fine-tuning API (RFT included) needs at least 10
 * examples, and a dry run or a validation split out of fewer says little.
 */
export const MIN_VALID_RECORDS = 10;
/** Above this share of valid records without a topic, the summary warns (as step 2's low-confidence rule does at 5 %). */
export const UNCATEGORIZED_WARNING_SHARE = 0.05;

/** Record lines of one origin. */
export interface OriginFigures {
  readonly total: number;
  readonly valid: number;
  readonly invalid: number;
  readonly duplicates: number;
}

/** What the summary is computed from. */
export interface SummaryFacts {
  readonly traces: OriginFigures;
  readonly generated: OriginFigures;
  readonly topics?: DatasetSnapshot['topics'];
  /** Valid records with a topic. */
  readonly categorized: number;
  /** Valid records per leaf topic. */
  readonly byLeaf: ReadonlyMap<string, number>;
  readonly grader?: DatasetSnapshot['grader'];
  readonly lastDryRun?: DatasetSnapshot['lastDryRun'];
}

const fmt = (n: number) => n.toLocaleString('en-US');
const pct = (share: number) => `${(Math.round(share * 1000) / 10).toFixed(1)}%`;
const part = (count: number, of: number): CountShare => ({ count, share: of === 0 ? 0 : count / of });

export function datasetSummary(facts: SummaryFacts): DatasetSummary {
  const sum = (key: keyof OriginFigures) => facts.traces[key] + facts.generated[key];
  const total = sum('total');
  const valid = sum('valid');
  const invalid = sum('invalid');
  const duplicates = sum('duplicates');
  const leaves = facts.topics && 'leaves' in facts.topics ? facts.topics.leaves : undefined;
  // categorized as coverage counts it: records on a leaf of topics.json (a topic of their own outside it does not count)
  const onLeaves = leaves
    ? Math.min(
        facts.categorized,
        leaves.reduce((sum, leaf) => sum + (facts.byLeaf.get(leaf) ?? 0), 0),
      )
    : 0;
  const categorized = leaves ? part(Math.min(onLeaves, valid), valid) : undefined;
  const score = leaves && onLeaves > 0 ? balanceOf(facts.byLeaf, leaves) : undefined;
  const balance = score === undefined ? undefined : { score, rating: balanceRating(score) };
  const items = readiness(facts, { total, valid, invalid, duplicates, categorized, balance });
  return {
    total,
    fromTraces: part(facts.traces.total, total),
    generated: part(facts.generated.total, total),
    valid: part(valid, total),
    invalid: part(invalid, total),
    duplicates: part(duplicates, total),
    ...(categorized ? { categorized } : {}),
    ...(balance ? { balance } : {}),
    ready: !items.some((item) => item.level === 'blocker'),
    items,
  };
}

interface Totals {
  readonly total: number;
  readonly valid: number;
  readonly invalid: number;
  readonly duplicates: number;
  readonly categorized?: CountShare;
  readonly balance?: DatasetSummary['balance'];
}

/**
 * Ready for RFT = the dataset can start the RFT flow (spec: Start RFT → grader → dry run → train): at least
 * MIN_VALID_RECORDS valid records. Invalid records, duplicates, missing or partial categorization and poor
 * balance are warnings (they are left out, or make a weaker run, but do not stop one); the grader and a GO or
 * CAUTION dry run are the flow's next steps, listed as such.
 */
function readiness(facts: SummaryFacts, totals: Totals): ReadinessItem[] {
  const items: ReadinessItem[] = [];
  const blocker = (text: string) => items.push({ level: 'blocker', text });
  const warning = (text: string) => items.push({ level: 'warning', text });
  const next = (text: string) => items.push({ level: 'next', text });
  const { total, valid, invalid, duplicates, categorized, balance } = totals;
  if (total === 0) blocker('No records yet: import or extract some (step 1).');
  else if (valid === 0) blocker('No valid record: every record is invalid or a duplicate (View Issues).');
  else if (valid < MIN_VALID_RECORDS) blocker(`Only ${fmt(valid)} valid record${valid === 1 ? '' : 's'}: RFT needs at least ${MIN_VALID_RECORDS}.`);
  if (invalid > 0) warning(`${fmt(invalid)} invalid record${invalid === 1 ? ' is' : 's are'} left out of training (View Issues).`);
  if (duplicates > 0) warning(`${fmt(duplicates)} duplicate${duplicates === 1 ? ' is' : 's are'} left out of training.`);
  const topics = facts.topics;
  if (topics && 'error' in topics) warning(`topics.json is invalid: ${topics.error}`);
  else if (!topics) {
    if (valid > 0) warning('No topics yet: coverage and balance are unknown (step 2).');
  } else if (categorized && valid > 0 && 1 - categorized.share > UNCATEGORIZED_WARNING_SHARE) {
    const missing = valid - categorized.count;
    warning(`${fmt(missing)} valid record${missing === 1 ? ' has' : 's have'} no topic (${pct(1 - categorized.share)}): categorize ${missing === 1 ? 'it' : 'them'} (step 2).`);
  }
  if (balance?.rating === 'poor') warning(`Balance ${balance.score.toFixed(2)} (poor): some topics are far too thin; generate records for them (step 3).`);
  const grader = facts.grader;
  if (!grader) next('Define a grader (step 4).');
  else if ('error' in grader) next('grader.json is invalid: fix it (step 4).');
  const run = facts.lastDryRun;
  if (!run) next('Run a dry run before training (step 5).');
  else if (run.stale) next(`The last dry run is stale (${run.stale}): re-run it (step 5).`);
  else if (run.decision === 'NO-GO') next('The last dry run said NO-GO: adjust the grader or the dataset and re-run it (step 5).');
  return items;
}

/** The figures of a dataset reading: per-file health counts, and labels counted against the valid records. */
export function summaryFactsOf(reading: DatasetReading): SummaryFacts | undefined {
  const health = reading.health;
  if (!health) return undefined;
  const figures = (counts: HealthCounts | undefined): OriginFigures => ({ total: counts?.total ?? 0, valid: counts?.valid ?? 0, invalid: counts?.invalid ?? 0, duplicates: counts?.duplicates ?? 0 });
  const generated = health.perFile?.find((entry) => entry.file === GENERATED_FILE)?.counts;
  const traces = health.perFile?.find((entry) => entry.file !== GENERATED_FILE)?.counts ?? (health.perFile ? undefined : health.counts);
  const { snapshot } = reading;
  return {
    traces: figures(traces),
    generated: figures(generated),
    topics: snapshot.topics,
    categorized: snapshot.labels?.total ?? 0,
    byLeaf: snapshot.labels?.byLeaf ?? new Map(),
    grader: snapshot.grader,
    lastDryRun: snapshot.lastDryRun,
  };
}

const MARK: Record<ReadinessItem['level'], string> = { blocker: '✗', warning: '⚠', next: '→' };

/** The summary as text lines, as the spec's box has them (`rft status`, the tree tooltip). */
export function summaryLines(summary: DatasetSummary): string[] {
  const row = (label: string, value: string) => `${label.padEnd(17)}${value}`;
  const counted = (c: CountShare) => `${fmt(c.count).padStart(9)} (${pct(c.share)})`;
  const lines = [
    row('Total records:', fmt(summary.total).padStart(9)),
    row('  From traces:', counted(summary.fromTraces)),
    row('  Generated:', counted(summary.generated)),
    'Validation:',
    row('  Valid:', counted(summary.valid)),
    row('  Invalid:', counted(summary.invalid)),
  ];
  if (summary.duplicates.count > 0) lines.push(row('  Duplicates:', counted(summary.duplicates)));
  lines.push('Coverage:');
  lines.push(row('  Categorized:', summary.categorized ? counted(summary.categorized) : '  no topics yet'));
  if (summary.balance) lines.push(row('  Balance score:', `${summary.balance.score.toFixed(2).padStart(9)} (${summary.balance.rating})`));
  lines.push(row('Ready for RFT:', summary.ready ? '✅ Yes' : '❌ No'));
  for (const item of summary.items) lines.push(`  ${MARK[item.level]} ${item.text}`);
  return lines;
}
