import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { initDataset } from '../../src/core/dataset/initDataset';
import { SAMPLE_VARIABLES, templateVariablesOf, VARIABLE_SCAN_RECORDS } from '../../src/core/grader/templateVariables';
import { useTempDir, writeLines } from '../support/tempDir';

const record = (text: string, extra: Record<string, unknown> = {}) => ({ messages: [{ role: 'user', content: text }], ...extra });

describe('grader template variables of a dataset', () => {
  const temp = useTempDir();

  async function dataset(name: string, records: readonly unknown[]): Promise<string> {
    const dir = path.join(temp(), name);
    await initDataset(dir, { name });
    writeLines(path.join(dir, 'records.jsonl'), records);
    return dir;
  }

  it('lists the fields, the preset ones first, then top-level by share, then one nested level, then the sample', async () => {
    const long = 'x'.repeat(100);
    const dir = await dataset('fields', [
      record('one', { reference_answer: 'Settings > Billing', metadata: { channel: 'widget', 'not a name': 1, deep: { inner: 1 } }, notes: long }),
      record('two', { reference_tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{}' } }], metadata: { channel: 'email' } }),
      record('three', { metadata: { tier: 'pro' } }),
      record('four'),
    ]);
    assert.deepEqual(await templateVariablesOf(dir), [
      { path: 'item.reference_answer', share: 0.25, example: 'Settings > Billing' },
      { path: 'item.reference_tool_calls', share: 0.25, example: '[{"id":"c1","type":"function","function":{"name":"lookup","arguments":"{}"}}]' },
      { path: 'item.messages', share: 1, example: '[{"role":"user","content":"one"}]' },
      { path: 'item.metadata', share: 0.75, example: '{"channel":"widget","not a name":1,"deep":{"inner":1}}' },
      { path: 'item.notes', share: 0.25, example: `${'x'.repeat(77)}…` },
      { path: 'item.metadata.channel', share: 0.5, example: 'widget' },
      { path: 'item.metadata.deep', share: 0.25, example: '{"inner":1}' },
      { path: 'item.metadata.tier', share: 0.25, example: 'pro' },
      ...SAMPLE_VARIABLES,
    ]);
  });

  it(`reads only the first ${VARIABLE_SCAN_RECORDS} valid records, skipping invalid lines`, async () => {
    const records = Array.from({ length: VARIABLE_SCAN_RECORDS + 100 }, (_, i) =>
      record(`question ${i}`, i < VARIABLE_SCAN_RECORDS / 2 ? { tag: 'early' } : i >= VARIABLE_SCAN_RECORDS ? { late: true } : {}),
    );
    const dir = await dataset('many', ['{not json', ...records]);
    const variables = await templateVariablesOf(dir);
    assert.deepEqual(
      variables.map((variable) => variable.path),
      ['item.messages', 'item.tag', ...SAMPLE_VARIABLES.map((variable) => variable.path)],
    );
    assert.equal(variables.find((variable) => variable.path === 'item.tag')?.share, 0.5);
  });

  it('gives only the sample variables for a dataset without records', async () => {
    const dir = path.join(temp(), 'empty');
    await initDataset(dir, { name: 'empty' }); // an empty records.jsonl
    assert.deepEqual(await templateVariablesOf(dir), SAMPLE_VARIABLES);
  });
});
