import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixJsonlFile } from '../../src/core/fixes/fileFixer';
import { validateJsonlFiles, type ValidationReport } from '../../src/core/validation/fileValidator';
import { DEFAULT_VALIDATION_SETTINGS } from '../../src/core/validation/settings';
import { useTempDir } from '../support/tempDir';

/** Real public files, byte copies of shared/data/public (see test/fixtures/public/PROVENANCE.md); never written. */
const PUBLIC = path.resolve(__dirname, '../fixtures/public');
const publicFile = (name: string) => path.join(PUBLIC, name);
const validate = (file: string): Promise<ValidationReport> => validateJsonlFiles([file], { settings: DEFAULT_VALIDATION_SETTINGS, maxIssues: 100_000 });

describe('public chat JSONL files', () => {
  const dir = useTempDir();

  it('toy_chat_fine_tuning: SFT records, one without a user message', async () => {
    const report = await validate(publicFile('toy_chat_fine_tuning.jsonl'));
    assert.equal(report.counts.total, 5);
    assert.deepEqual(report.counts.byCode, { last_not_user: 4, no_user_message: 1 });
  });

  it('toy_chat_fine_tuning after the last_not_user fix: the long record is counted exactly', async () => {
    const out = path.join(dir(), 'toy.jsonl');
    await fixJsonlFile(publicFile('toy_chat_fine_tuning.jsonl'), out, new Set(['last_not_user']), DEFAULT_VALIDATION_SETTINGS);
    const report = await validate(out);
    assert.equal(report.counts.valid, 4);
    assert.equal(report.tokens.exact, true);
  });

  it('drone_training: 103 tool-calling SFT records; the fix makes every one a valid RFT prompt', async () => {
    const report = await validate(publicFile('drone_training.jsonl'));
    assert.equal(report.counts.total, 103);
    assert.deepEqual(report.counts.byCode, { last_not_user: 103 });
    const out = path.join(dir(), 'drone.jsonl');
    await fixJsonlFile(publicFile('drone_training.jsonl'), out, new Set(['last_not_user']), DEFAULT_VALIDATION_SETTINGS);
    const fixed = await validate(out);
    assert.equal(fixed.counts.invalid, 0);
    assert.equal(fixed.counts.valid + fixed.counts.duplicates, 103);
    const first = JSON.parse(fs.readFileSync(out, 'utf8').split('\n')[0]);
    assert.ok(Array.isArray(first.reference_tool_calls), 'tool calls became reference_tool_calls');
  });

  it('drone_training_a7e107d: double-encoded arguments exactly on lines 3-8', async () => {
    const report = await validate(publicFile('drone_training_a7e107d.jsonl'));
    const lines = report.issues.filter((i) => i.code === 'double_encoded_arguments').map((i) => i.line);
    assert.deepEqual([...new Set(lines)], [3, 4, 5, 6, 7, 8]);
    const line3 = fs.readFileSync(publicFile('drone_training_a7e107d.jsonl'), 'utf8').split('\n')[2];
    const issue = report.issues.find((i) => i.code === 'double_encoded_arguments')!;
    assert.match(line3.slice(issue.column - 1, issue.endColumn - 1), /^"\\"\{/);
    const out = path.join(dir(), 'a7e.jsonl');
    const summary = await fixJsonlFile(publicFile('drone_training_a7e107d.jsonl'), out, new Set(['double_encoded_arguments']), DEFAULT_VALIDATION_SETTINGS);
    assert.equal(summary.applied.double_encoded_arguments, 6);
    assert.equal((await validate(out)).counts.byCode.double_encoded_arguments, undefined);
  });

  it('cookbook 01-testing-example: pretty-printed JSON whose strings hold raw line breaks', async () => {
    const file = publicFile('cookbook_01-testing-example.jsonl');
    const report = await validate(file);
    const nonBlank = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '').length;
    assert.equal(report.counts.total, nonBlank);
    assert.equal(report.counts.invalid, nonBlank);
    assert.deepEqual(Object.keys(report.counts.byCode), ['invalid_json']);
    assert.ok(report.issues.every((i) => /one complete/.test(i.message)));
    assert.ok(report.issues.filter((i) => /pretty-printed/.test(i.message)).length > 100, 'the pretty-printing is named');
  });

  it('anthropic json_mode: top-level system + user/assistant pairs', async () => {
    const report = await validate(publicFile('anthropic_json_mode_dataset.jsonl'));
    assert.equal(report.counts.total, 500);
    // the Anthropic shape: its top-level system prompt would never reach the model (issue 20)
    assert.deepEqual(report.counts.byCode, { last_not_user: 500, top_level_system: 500 });
  });
});
