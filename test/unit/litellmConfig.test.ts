import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import {
  DEFAULT_ROUTING_STRATEGY,
  DeployDecisionError,
  LitellmConfigInputError,
  literalSecret,
  parseLitellmConfig,
  parseWeights,
  planRouting,
  ROUTING_STRATEGIES,
  routingStrategyOf,
  scalarText,
  type LitellmParams,
} from '../../src/core/deploy';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'litellm');
/** LiteLLM's routing facts, copied from its source (test/fixtures/vendor/litellm/PROVENANCE.md). */
const ROUTING = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'vendor', 'litellm', 'routing.json'), 'utf8')) as {
  routerInitRoutingStrategy: { values: string[]; default: string };
  dispatch: { callsSimpleShuffle: string[] };
  simpleShuffle: { weightLookedUpOn: string; missingWeightCountsAs: number };
};
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const TUNED: LitellmParams = { model: 'openai/ft:gpt-4o-mini:acme::abc123', api_key: 'os.environ/OPENAI_API_KEY' };
const js = (text: string) => parseDocument(text, { merge: true }).toJS({}) as { model_list: { model_name: string; litellm_params: Record<string, unknown> }[] } & Record<string, unknown>;
/** `text` with `inserted` at the start of the line after the first line containing `after`. */
const insertAfterLine = (text: string, after: string, inserted: string) => {
  const at = text.indexOf('\n', text.indexOf(after)) + 1;
  return text.slice(0, at) + inserted + text.slice(at);
};

/** What PyYAML (the LiteLLM proxy loads config.yaml with it) reads; Debian's python3-yaml, installed by scripts/setup-system.mjs. */
function pyyamlReads(text: string): unknown {
  const run = spawnSync('/usr/bin/python3', ['-c', 'import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))'], { input: text, encoding: 'utf8' });
  assert.equal(run.status, 0, `PyYAML could not read the config (npm test installs python3-yaml): ${run.stderr}`);
  return JSON.parse(run.stdout);
}

describe('LiteLLM config.yaml routing', () => {
  const config = read('config.yaml');

  it('replace: only the model scalar changes (its comment kept); everything else byte for byte; a second run changes nothing', function () {
    const edit = planRouting(config, { mode: 'replace', modelName: 'support-bot', tuned: TUNED });
    assert.equal(edit.text, config.replace('model: openai/gpt-4o-mini   # base model', 'model: "openai/ft:gpt-4o-mini:acme::abc123"   # base model'));
    assert.deepEqual(edit.changes, ['support-bot[0].litellm_params.model: openai/gpt-4o-mini → openai/ft:gpt-4o-mini:acme::abc123']);
    // api_key is the alias *openai_key, which already resolves to the tuned key: left as it is
    const again = planRouting(edit.text, { mode: 'replace', modelName: 'support-bot', tuned: TUNED });
    assert.equal(again.text, edit.text, 'no change: the file back byte for byte');
    assert.deepEqual(again.changes, []);
    assert.equal((pyyamlReads(edit.text) as ReturnType<typeof js>).model_list[0].litellm_params.model, TUNED.model);
  });

  it('alias: a new model_name after the last entry, indented like its neighbours; existing names are refused', () => {
    const edit = planRouting(config, { mode: 'alias', modelName: 'support-bot-tuned', tuned: TUNED });
    assert.equal(
      edit.text,
      insertAfterLine(
        config,
        'model: openai/text-embedding-3-small',
        '  - model_name: support-bot-tuned\n    litellm_params:\n      model: "openai/ft:gpt-4o-mini:acme::abc123"\n      api_key: os.environ/OPENAI_API_KEY\n',
      ),
    );
    assert.throws(() => planRouting(config, { mode: 'alias', modelName: 'summarizer', tuned: TUNED }), /"summarizer" exists already/);
  });

  it('ab: weight on every deployment of the group, the tuned deployment right after the group; re-weighting edits in place', function () {
    const edit = planRouting(config, { mode: 'ab', modelName: 'support-bot', tuned: TUNED, weights: [90, 10] });
    const expected = insertAfterLine(
      insertAfterLine(config, 'rpm: 600', '      weight: 90\n'),
      'description: "Support widget"',
      '  - model_name: support-bot\n    litellm_params:\n      model: "openai/ft:gpt-4o-mini:acme::abc123"\n      api_key: os.environ/OPENAI_API_KEY\n      weight: 10\n',
    );
    assert.equal(edit.text, expected);
    assert.deepEqual(edit.weights, [
      { model: 'openai/gpt-4o-mini', weight: 90 },
      { model: TUNED.model, weight: 10 },
    ]);
    const group = (pyyamlReads(edit.text) as ReturnType<typeof js>).model_list.filter((m) => m.model_name === 'support-bot');
    assert.deepEqual(
      group.map((m) => m.litellm_params.weight),
      [90, 10],
      'simple-shuffle sees a weight on the first deployment and on every other',
    );
    const reweighted = planRouting(edit.text, { mode: 'ab', modelName: 'support-bot', tuned: TUNED, weights: [50, 50] });
    assert.equal(reweighted.text, edit.text.replace('weight: 90', 'weight: 50').replace('weight: 10', 'weight: 50'));
  });

  it('an anchored litellm_params (shared by reference) gets its own map merging the anchor; the anchor and the other entries stay', () => {
    const edit = planRouting(config, { mode: 'replace', modelName: 'summarizer', tuned: TUNED });
    const [before, after] = [js(config), js(edit.text)];
    assert.deepEqual(after['x-azure-params'], before['x-azure-params']);
    assert.deepEqual(
      after.model_list.filter((m) => m.model_name !== 'summarizer'),
      before.model_list.filter((m) => m.model_name !== 'summarizer'),
    );
    const params = after.model_list.find((m) => m.model_name === 'summarizer')!.litellm_params;
    assert.equal(params.model, TUNED.model);
    assert.equal(params.api_key, TUNED.api_key);
    assert.equal(params.api_base, null, 'the merged Azure base is overridden');
    assert.ok(edit.text.includes('      <<: *azure_params\n'));
    assert.equal(edit.text.split('\n').slice(0, 20).join('\n'), config.split('\n').slice(0, 20).join('\n'));
  });

  it('inline { } params and a group of two at column 0: stale endpoint keys removed, quote styles kept, weights split over the base deployments', function () {
    const inline = planRouting(config, { mode: 'ab', modelName: 'embeddings', tuned: TUNED, weights: [80, 20] });
    assert.ok(inline.text.includes('litellm_params: { model: openai/text-embedding-3-small, api_key: *openai_key, weight: 80 }'));
    const plain = read('plain-config.yaml');
    const replaced = planRouting(plain, { mode: 'replace', modelName: 'support-bot', tuned: TUNED });
    const lines = (text: string) => text.split('\n');
    assert.deepEqual(
      lines(replaced.text).filter((line) => !lines(plain).includes(line)),
      ['    model: "openai/ft:gpt-4o-mini:acme::abc123"', '    api_key: "os.environ/OPENAI_API_KEY"', '    model: "openai/ft:gpt-4o-mini:acme::abc123"', '    api_key: "os.environ/OPENAI_API_KEY"'],
    );
    assert.ok(!/api_base|api_version/.test(replaced.text.split('- model_name: classifier')[0]));
    assert.ok(
      replaced.text.endsWith(
        '- model_name: classifier\n  litellm_params:\n    model: openai/gpt-4o-mini\n    api_key: os.environ/OPENAI_API_KEY\nrouter_settings:\n  routing_strategy: simple-shuffle\n',
      ),
    );
    const ab = planRouting(plain, { mode: 'ab', modelName: 'support-bot', tuned: TUNED, weights: [90, 10] });
    const read_ = pyyamlReads(ab.text) as ReturnType<typeof js>;
    assert.deepEqual(
      read_.model_list.filter((m) => m.model_name === 'support-bot').map((m) => m.litellm_params.weight),
      [45, 45, 10],
    );
    assert.ok(ab.text.includes("    api_version: '2024-10-21'\n    weight: 45\n- model_name: support-bot\n  litellm_params:\n    model: \"openai/ft"));
  });

  it('faults: the located YAML error, the names that exist, weights refused, literal keys found', () => {
    assert.throws(() => parseLitellmConfig(read('broken-config.yaml'), 'broken-config.yaml'), /^Error: broken-config\.yaml:5:1: All mapping items must start at the same column$/);
    assert.throws(() => planRouting(config, { mode: 'replace', modelName: 'support', tuned: TUNED }), /no model_name "support" in model_list; the names are: support-bot, summarizer, embeddings/);
    assert.deepEqual(parseWeights('90,10'), [90, 10]);
    assert.deepEqual(parseWeights(' 2.5 , 7.5 '), [2.5, 7.5]);
    for (const bad of ['90', 'a,b', '90,-10', '90,10,0', ',10']) assert.throws(() => parseWeights(bad), /two numbers ≥ 0/, bad);
    assert.throws(() => parseWeights('0,0'), /sum to 0/);
    assert.equal(literalSecret({ model: 'x', api_key: 'sk-live-123' }), 'api_key');
    assert.equal(literalSecret(TUNED), undefined);
    assert.equal(scalarText('os.environ/OPENAI_API_KEY'), 'os.environ/OPENAI_API_KEY');
    for (const tricky of ['yes', 'a: b', 'ft:x', '#x', '1.0', "it's"]) assert.equal(parseDocument(`v: ${scalarText(tricky)}`).get('v'), tricky);
  });

  it('a config that is a plain string, a number or a list is one line naming the file, not "Cannot create property"; an empty file is an empty config; every input fault is a LitellmConfigInputError (exit 2)', () => {
    const inputError = (pattern: RegExp) => (error: unknown) => {
      assert.ok(error instanceof LitellmConfigInputError, String(error));
      assert.match(error.message, pattern);
      return true;
    };
    const replace = { mode: 'replace' as const, modelName: 'support-bot', tuned: TUNED };
    assert.throws(() => planRouting('hello\n', replace, 'config.yaml'), inputError(/^config\.yaml: the config is a plain string \("hello"\), not a mapping of settings \(expected model_list:/));
    assert.throws(() => planRouting('"model_list: []"\n', replace, 'c.yaml'), inputError(/^c\.yaml: the config is a plain string \("model_list: \[\]"\)/));
    assert.throws(() => planRouting('42\n', replace, 'c.yaml'), inputError(/^c\.yaml: the config is a number \(42\), not a mapping/));
    assert.throws(() => planRouting('- model_name: a\n', replace, 'c.yaml'), inputError(/^c\.yaml: the config is a list, not a mapping/));
    assert.throws(() => planRouting('', replace, 'c.yaml'), inputError(/^c\.yaml: no model_name "support-bot" in model_list; the names are: \(none\)$/));
    assert.throws(() => parseLitellmConfig(read('broken-config.yaml'), 'broken-config.yaml'), inputError(/:5:1: /));
    assert.throws(() => parseWeights('0,0'), inputError(/sum to 0/));
    assert.throws(() => planRouting('model_list: 3\n', replace, 'c.yaml'), inputError(/model_list is not a list/));
  });

  describe('A/B and routing_strategy (only simple-shuffle reads weight)', () => {
    const strategyConfig = (strategy: string) => config.replace('routing_strategy: simple-shuffle   # weights are read by simple-shuffle', `routing_strategy: ${strategy}   # the team's choice`);

    it("the strategies and the default are LiteLLM's; only simple-shuffle calls the weighted pick", () => {
      assert.deepEqual([...ROUTING_STRATEGIES], ROUTING.routerInitRoutingStrategy.values);
      assert.equal(DEFAULT_ROUTING_STRATEGY, ROUTING.routerInitRoutingStrategy.default);
      assert.deepEqual(ROUTING.dispatch.callsSimpleShuffle, [DEFAULT_ROUTING_STRATEGY]);
      assert.equal(ROUTING.simpleShuffle.missingWeightCountsAs, 0, 'hence a weight on every member of the group');
    });

    it('any other strategy refuses the split with the reason and the way out; nothing is edited', () => {
      const others = ROUTING.routerInitRoutingStrategy.values.filter((s) => !ROUTING.dispatch.callsSimpleShuffle.includes(s));
      assert.ok(others.length >= 5);
      for (const strategy of others) {
        assert.throws(
          () => planRouting(strategyConfig(strategy), { mode: 'ab', modelName: 'support-bot', tuned: TUNED }),
          (error: Error) => {
            assert.ok(error instanceof DeployDecisionError, strategy);
            assert.match(error.message, new RegExp(`router_settings\\.routing_strategy is "${strategy}": LiteLLM reads litellm_params\\.weight only when routing_strategy is simple-shuffle`));
            assert.match(error.message, /--set-simple-shuffle .*every model group.*--mode alias; config\.yaml was not changed$/);
            return true;
          },
        );
      }
      assert.throws(() => planRouting(config.replace('routing_strategy: simple-shuffle', 'routing_strategy:'), { mode: 'ab', modelName: 'support-bot', tuned: TUNED }), /routing_strategy is "null"/);
      // replace and alias do not depend on weights
      assert.equal(planRouting(strategyConfig('least-busy'), { mode: 'replace', modelName: 'support-bot', tuned: TUNED }).changes.length, 1);
      assert.equal(planRouting(strategyConfig('least-busy'), { mode: 'alias', modelName: 'x', tuned: TUNED }).changes.length, 1);
    });

    it("no router_settings: LiteLLM's default simple-shuffle reads the weights, so the split goes ahead unchanged", () => {
      const without = config.slice(0, config.indexOf('router_settings:')) + config.slice(config.indexOf('general_settings:'));
      assert.equal(routingStrategyOf(parseLitellmConfig(without).doc), undefined);
      const edit = planRouting(without, { mode: 'ab', modelName: 'support-bot', tuned: TUNED });
      assert.equal(edit.routingStrategy, undefined);
      assert.ok(!edit.text.includes('routing_strategy'));
    });

    it("--set-simple-shuffle: only the strategy's value changes (its comment kept), said in the changes; PyYAML reads simple-shuffle", function () {
      const text = strategyConfig('usage-based-routing-v2');
      const edit = planRouting(text, { mode: 'ab', modelName: 'support-bot', tuned: TUNED, weights: [90, 10], setSimpleShuffle: true });
      const plain = planRouting(config, { mode: 'ab', modelName: 'support-bot', tuned: TUNED, weights: [90, 10] });
      assert.equal(edit.text, plain.text.replace('routing_strategy: simple-shuffle   # weights are read by simple-shuffle', "routing_strategy: simple-shuffle   # the team's choice"));
      assert.deepEqual(edit.routingStrategy, { before: 'usage-based-routing-v2', after: 'simple-shuffle' });
      assert.equal(
        edit.changes.filter((c) => c.startsWith('router_settings.')).join(),
        'router_settings.routing_strategy: usage-based-routing-v2 → simple-shuffle (every model group of this proxy is now routed by simple-shuffle, which reads weight)',
      );
      assert.equal((pyyamlReads(edit.text) as { router_settings: { routing_strategy: string } }).router_settings.routing_strategy, 'simple-shuffle');
      const quoted = planRouting(text.replace('usage-based-routing-v2', '"latency-based-routing"'), { mode: 'ab', modelName: 'support-bot', tuned: TUNED, setSimpleShuffle: true });
      assert.match(quoted.text, /routing_strategy: "simple-shuffle" {3}# the team's choice/);
    });
  });
});
