// Fixtures for the dry-run tests: a dataset folder with records, topic labels and a grader.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeLabels } from '../../src/core/dataset/labels';
import { forEachValidRecord } from '../../src/core/dataset/validRecords';

export interface FixtureRecord {
  readonly user: string;
  readonly topic?: string;
  readonly reference?: string;
}

/** A js grader that scores the answer's text as a number ("0.7" → 0.7) and throws on anything else. */
export const NUMBER_GRADER = {
  type: 'js',
  name: 'number',
  source: 'function grade(input) { var x = Number(input.response); if (input.response === "" || isNaN(x)) throw new Error("not a number: " + input.response); return x; }',
};

export async function makeDataset(dir: string, records: readonly FixtureRecord[], grader: object | null = NUMBER_GRADER): Promise<Map<string, string>> {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'rft.json'), JSON.stringify({ name: path.basename(dir) }));
  fs.writeFileSync(
    path.join(dir, 'records.jsonl'),
    records
      .map((r) =>
        JSON.stringify({
          messages: [
            { role: 'system', content: 'You answer with a number.' },
            { role: 'user', content: r.user },
          ],
          ...(r.reference !== undefined ? { reference_answer: r.reference } : {}),
        }),
      )
      .join('\n') + '\n',
  );
  if (grader) fs.writeFileSync(path.join(dir, 'grader.json'), JSON.stringify(grader));
  const keyByUser = new Map<string, string>();
  const labels: { key: string; topic: string; confidence: number; method: 'manual' }[] = [];
  await forEachValidRecord(dir, (record) => {
    const user = (record.record.messages as { content: string }[])[1].content;
    keyByUser.set(user, record.key);
    const topic = records.find((r) => r.user === user)?.topic;
    if (topic) labels.push({ key: record.key, topic, confidence: 1, method: 'manual' });
  });
  if (labels.length) await writeLabels(dir, labels);
  return keyByUser;
}

/** n records over topics by share: `topics` = [["billing/refunds", 6], ["api/auth", 3], [undefined, 1]] (undefined = no label). */
export function recordsByTopic(topics: readonly (readonly [string | undefined, number])[], reference?: (topic: string | undefined, i: number) => string | undefined): FixtureRecord[] {
  const out: FixtureRecord[] = [];
  for (const [topic, count] of topics) for (let i = 0; i < count; i++) out.push({ user: `Question ${i} about ${topic ?? 'something else'}, please answer`, topic, reference: reference?.(topic, i) });
  return out;
}
