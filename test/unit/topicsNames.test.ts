import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildTopics } from '../../src/core/topics/buildTopics';
import { GENERIC_TERMS } from '../../src/core/topics/genericTerms';
import { LocalEmbedder, stem } from '../../src/core/topics/localEmbedder';
import { words } from '../../src/core/topics/recordText';
import { ctfidfLabels } from '../../src/core/topics/topicLabels';

const SUBSET = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/public/clinc150_subset.json'), 'utf8')) as { rows: [string, string][] };

/** The share of texts holding at least one term of the name (by stem, as the bench measures it). */
function coverage(name: string, texts: readonly string[]): number {
  const terms = name.split('_').map(stem);
  return texts.filter((text) => words(text).some((word) => terms.includes(stem(word)))).length / texts.length;
}

const SSO = [
  'How do I get SAML SSO working with Okta for my team?',
  'I need help with SSO, our SAML assertion is rejected without a reason',
  'Can you help me use SSO without the Enterprise plan?',
  'We want to get SSO for the whole team, where is the SAML metadata?',
  'SSO login loops back to the start page, I need help',
];
const REFUNDS = [
  'I need a refund for the duplicate charge on my card',
  'Can you help me get a refund without cancelling?',
  'We want a refund for seats we never used',
  'How long does a refund take to reach the card?',
  'I need help: charged twice, please refund one charge',
];
const EXPORTS = [
  'How do I export events to CSV?',
  'I need help to export a chart without the legend',
  'Can I get the export as Parquet?',
  'We want to export raw events every night',
  'Export to CSV fails for large ranges, I need help',
];

describe('topics: offline names', () => {
  it('names a topic by content terms most of its records hold: no function words, light verbs or general nouns', () => {
    const labels = ctfidfLabels([SSO, REFUNDS, EXPORTS]);
    assert.deepEqual(
      labels.map((label) => label.name.split('_')[0]),
      ['sso', 'refund', 'export'],
    );
    for (const label of labels) {
      for (const term of label.name.split('_')) assert.ok(!GENERIC_TERMS.has(term) && !GENERIC_TERMS.has(stem(term)), `${label.name}: ${term} is generic`);
      assert.ok(label.name.split('_').length <= 3, label.name);
    }
    for (const [l, texts] of [SSO, REFUNDS, EXPORTS].entries()) assert.ok(coverage(labels[l].name, texts) >= 0.5, `${labels[l].name} covers most of its records`);
    for (const word of ['help', 'need', 'get', 'want', 'without'])
      assert.ok(
        labels.every((label) => !label.keywords.includes(word)),
        `${word} is no keyword`,
      );
  });

  it('prefers a distinctive term to one every topic shares, and orders the terms by how many records hold them', () => {
    const everywhere = (texts: readonly string[]) => texts.map((text) => `${text} (workspace acme)`);
    const [sso] = ctfidfLabels([everywhere(SSO), everywhere(REFUNDS), everywhere(EXPORTS)]);
    assert.ok(!sso.name.includes('workspace') && !sso.name.includes('acme'), sso.name);
    const terms = sso.name.split('_');
    const shares = terms.map((term) => coverage(term, SSO));
    assert.deepEqual(
      shares,
      [...shares].sort((a, b) => b - a),
      `${sso.name}: most frequent term first`,
    );
  });

  it('adds terms until most records are covered when no single term is', () => {
    const mixed = [
      'Change my invoice address',
      'The invoice shows the old VAT number',
      'Billing contact should see this',
      'The billing contact is wrong',
      'Receipts go to the wrong person',
      'Tax ID missing on receipts',
    ];
    const [label] = ctfidfLabels([mixed, SSO, EXPORTS]);
    assert.ok(label.name.split('_').length >= 2, label.name);
    assert.ok(coverage(label.name, mixed) >= 0.5, label.name);
  });

  it('a taken name takes the next term instead of a number', () => {
    const taken = new Set(['sso']);
    const [label] = ctfidfLabels(
      [
        SSO.map((text) => text.replace(/SAML/g, 'Okta'))
          .slice(0, 1)
          .concat(['SSO SSO', 'sso please', 'SSO again', 'SSO?']),
        REFUNDS,
      ],
      taken,
    );
    assert.notEqual(label.name, 'sso');
    assert.ok(label.name.startsWith('sso_') && !/_\d+$/.test(label.name), label.name);
    assert.ok(taken.has(label.name), 'the new name is taken too');
  });

  it('the description says what the records ask, how many, with an example, acronyms as written', () => {
    const [sso, refunds] = ctfidfLabels([SSO, REFUNDS]);
    assert.match(sso.description, /^Questions about SSO( and SAML| and team)?.* — 5 records, e\.g\. “.+”\.$/);
    const example = /“(.+)”/.exec(sso.description)![1];
    assert.ok(SSO.includes(example) && /sso/i.test(example), example);
    assert.match(refunds.description, /refund/);
  });

  it('names are unique across the hierarchy, parents and leaves, on real data', () => {
    const texts = SUBSET.rows.map((r) => r[0]);
    const embedder = LocalEmbedder.fit(texts);
    const topics = buildTopics(
      texts,
      texts.map((t) => embedder.embed(t)),
      embedder.dimensions,
      { leaves: 20, top: 4, seed: 7 },
    );
    const names = topics.flatMap((topic) => [topic.name, ...topic.children.map((leaf) => leaf.name)]);
    assert.equal(new Set(names).size, names.length, names.join(', '));
    for (const topic of topics)
      for (const leaf of topic.leaf ? [topic.leaf] : topic.children) {
        assert.ok(
          coverage(
            leaf.name,
            leaf.members.map((i) => texts[i]),
          ) >= 0.5,
          `${leaf.name} covers most of its ${leaf.members.length} records`,
        );
      }
  });
});
