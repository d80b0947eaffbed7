import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { apiJudge } from '../../src/core/grader/apiJudge';
import { createGradingEngine, type GradingEngine } from '../../src/core/grader/engine';
import { readGraderFile } from '../../src/core/grader/graderFile';
import { fuzzyMatch } from '../../src/core/grader/metrics/fuzzyMatch';
import { initGrader, PRESET_IDS } from '../../src/core/grader/presets';
import { selfCheck, areaUnderCurve } from '../../src/core/grader/selfCheck';
import { testSample } from '../../src/core/grader/testSample';
import { ModelClient } from '../../src/core/llm/modelClient';
import { startOpenAiTestServer, type OpenAiTestServer } from '../support/openaiServer';
import { useTempDir } from '../support/tempDir';

const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'assistant-support');

describe('grader presets on the example dataset (self-check, Test Sample)', function () {
  this.timeout(120_000);
  const dir = useTempDir();
  let server: OpenAiTestServer;
  let engine: GradingEngine;
  before(async () => {
    server = await startOpenAiTestServer();
    // A stand-in judge that reads the prompt it is given: the fuzzy similarity of the answer to the reference.
    server.onChat((request) => {
      const prompt = String(request.messages.at(-1)?.content ?? '');
      const reference = /Reference answer:\n([\s\S]*?)\n\nAnswer to grade:\n/.exec(prompt)?.[1] ?? '';
      const answer = prompt.split('Answer to grade:\n')[1] ?? '';
      return { content: JSON.stringify({ steps: [{ description: 'compared with the reference', conclusion: 'done' }], result: answer.trim() ? fuzzyMatch(answer, reference) : 0 }) };
    });
    engine = createGradingEngine({ judge: apiJudge(new ModelClient({ kind: 'openai', apiKey: server.apiKey, baseURL: server.baseURL })) });
  });
  after(async () => {
    await engine?.dispose();
    await server?.close();
  });

  for (const preset of PRESET_IDS) {
    it(`${preset}: references score high, the empty answer low, and the self-check says why`, async () => {
      const ds = path.join(dir(), preset);
      fs.cpSync(EXAMPLE, ds, { recursive: true });
      await initGrader(ds, preset);
      const loaded = await readGraderFile(ds);
      const report = await selfCheck(ds, { engine, grader: loaded!.resolved });
      assert.deepEqual(report.errors, {}, JSON.stringify(report.errors));
      assert.ok(report.references.n >= 40, `${report.references.n} references`);
      assert.ok(report.references.mean >= 0.9, `${preset}: references score ${report.references.mean}`);
      assert.ok(report.controls.empty.mean < 0.2, `${preset}: empty answer scores ${report.controls.empty.mean}`);
      assert.notEqual(report.verdict, 'fail', report.findings.join(' '));
      if (preset === 'conciseness') assert.ok(report.controls.padded.mean < report.references.mean - 0.2, 'padding is penalized');
      if (preset === 'correctness') assert.ok(report.aucOtherRecord > 0.9, `judge AUC vs other records ${report.aucOtherRecord}`);
      const sample = await testSample(ds, { engine, grader: loaded!.resolved, seed: 3 });
      assert.equal(sample.rows.length, 5);
      assert.ok(sample.rows.every((row) => row.answerSource === 'reference' && row.result.errors.length === 0));
      if (preset === 'correctness') assert.equal(sample.rows[0].result.details?.correctness?.steps?.[0].description, 'compared with the reference');
    });
  }

  it('Test Sample with typed text scores that text; seeds pick the same records', async () => {
    const ds = path.join(dir(), 'typed');
    fs.cpSync(EXAMPLE, ds, { recursive: true });
    await initGrader(ds, 'conciseness');
    const grader = (await readGraderFile(ds))!.resolved;
    const typed = await testSample(ds, { engine, grader, typedAnswer: '', seed: 5 });
    assert.ok(typed.rows.every((row) => row.answerSource === 'typed' && row.result.reward === 0));
    const again = await testSample(ds, { engine, grader, typedAnswer: '', seed: 5 });
    assert.deepEqual(
      again.rows.map((row) => row.line),
      typed.rows.map((row) => row.line),
    );
  });

  it('AUC: 1 when separated, 0.5 by chance or ties, 0 when reversed', () => {
    assert.equal(areaUnderCurve([0.9, 0.8], [0.1, 0.2]), 1);
    assert.equal(areaUnderCurve([0.5, 0.5], [0.5]), 0.5);
    assert.equal(areaUnderCurve([0.1], [0.9, 0.8]), 0);
    assert.equal(areaUnderCurve([1, 0], [0.5]), 0.5);
  });
});
