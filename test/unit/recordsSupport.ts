// The fixture dataset of the records tests: valid, invalid, duplicate and generated lines, labels, topics.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { recordKey } from '../../src/core/validation/recordKey';
import { writeLines } from '../support/tempDir';
import { assistant, user } from '../support/validate';

export const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

const refund = { messages: [user('Please refund my order #1001, it arrived broken')] };
const ownTopic = { messages: [user('I cannot log in since the password reset')], metadata: { topic: 'account/login' } };
const hostile = { messages: [{ role: 'system', content: 'You help with shipping.' }, user(`Where is my parcel? ${HOSTILE}`)], reference_answer: 'It ships Monday.' };
const generatedRefund = {
  messages: [user('Can I get a refund for a duplicate charge on my card?')],
  metadata: { generated: { topic: 'billing/refunds', strategy: 'few-shot', model: 'gpt-4.1-mini', seeds: [], at: '2026-12-01T20:00:00Z' } },
};
const generatedTracking = {
  messages: [user('My tracking number shows no update for a week, what now?')],
  metadata: { generated: { topic: 'shipping/tracking', strategy: 'few-shot', model: 'gpt-4.1-mini', seeds: [], at: '2026-12-01T20:00:00Z' } },
};

/** records.jsonl lines (1-based line → what it is). */
export const RECORD_LINES = [
  refund, // 1 valid, labelled billing/refunds 0.9
  '{"messages": [not json', // 2 invalid_json
  ownTopic, // 3 valid, own metadata.topic
  refund, // 4 duplicate of 1
  { messages: [user('What does the Pro plan cost per seat?'), assistant('$12.')] }, // 5 last_not_user
  '', // 6 blank
  hostile, // 7 valid, labelled shipping/tracking 0.4 (low confidence)
];

export const GENERATED_LINES = [
  generatedRefund, // 1 valid, billing/refunds 0.95
  generatedTracking, // 2 valid, shipping/tracking 0.8
  ownTopic, // 3 duplicate of records.jsonl:3
  { messages: [{ role: 'system', content: 'Only a system turn.' }] }, // 4 no_user_message
];

const keyOf = (record: Record<string, unknown>) => recordKey(record, JSON.stringify(record));
export const KEYS = { refund: keyOf(refund), ownTopic: keyOf(ownTopic), hostile: keyOf(hostile), generatedRefund: keyOf(generatedRefund), generatedTracking: keyOf(generatedTracking) };

export const TOPICS = {
  version: 1,
  source: 'manual',
  topics: [
    { name: 'billing', children: [{ name: 'refunds' }, { name: 'invoices' }] },
    { name: 'account', children: [{ name: 'login' }] },
    { name: 'shipping', children: [{ name: 'tracking' }] },
  ],
};

/** Writes the fixture dataset into `dir` (created). */
export function writeFixtureDataset(dir: string): string {
  fs.mkdirSync(path.join(dir, '.rft'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'rft.json'), JSON.stringify({ name: 'fixture' }));
  writeLines(path.join(dir, 'records.jsonl'), RECORD_LINES);
  writeLines(path.join(dir, 'generated.jsonl'), GENERATED_LINES);
  fs.writeFileSync(path.join(dir, 'topics.json'), JSON.stringify(TOPICS));
  writeLines(path.join(dir, '.rft', 'labels.jsonl'), [
    { key: KEYS.refund, topic: 'billing/refunds', confidence: 0.9, method: 'embedding' },
    { key: KEYS.hostile, topic: 'shipping/tracking', confidence: 0.4, method: 'embedding' },
    { key: KEYS.generatedRefund, topic: 'billing/refunds', confidence: 0.95, method: 'embedding' },
    { key: KEYS.generatedTracking, topic: 'shipping/tracking', confidence: 0.8, method: 'embedding' },
  ]);
  return dir;
}
