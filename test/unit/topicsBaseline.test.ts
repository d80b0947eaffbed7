import * as assert from 'node:assert/strict';
import { shareOut } from '../../src/core/topics/buildTopics';
import { LocalEmbedder } from '../../src/core/topics/localEmbedder';
import { normalizedMutualInformation } from '../../src/core/topics/nmi';
import { ctfidfLabels } from '../../src/core/topics/topicLabels';
import { dot } from '../../src/core/topics/kmeansClusters';

describe('topics groundwork (issue 5, in progress)', () => {
  it('NMI: 1 for the same partition under renaming, 0 for independent ones', () => {
    assert.equal(normalizedMutualInformation(['a', 'a', 'b', 'b'], [1, 1, 2, 2]), 1);
    assert.ok(Math.abs(normalizedMutualInformation(['a', 'b', 'a', 'b'], [1, 1, 2, 2])) < 1e-12);
  });

  it('shares leaves out by size, at least one per non-empty group, never more than its members', () => {
    assert.deepEqual(shareOut(10, [50, 30, 20]), [5, 3, 2]);
    assert.deepEqual(shareOut(5, [100, 1, 0]), [4, 1, 0]);
    assert.equal(shareOut(150, [900, 40, 3, 7]).reduce((a, b) => a + b, 0), 150);
  });

  it('the local embedder is deterministic, unit-length, and closer for texts that share words', () => {
    const texts = ['how do I reset my password', 'reset the password for my account', 'what is the weather in Paris'];
    const a = LocalEmbedder.fit(texts);
    const b = LocalEmbedder.fromState(a.state());
    const [x, y, z] = texts.map((t) => a.embed(t));
    assert.deepEqual(Array.from(b.embed(texts[0])), Array.from(x));
    assert.ok(Math.abs(dot(x, x) - 1) < 1e-5);
    assert.ok(dot(x, y) > dot(x, z));
  });

  it('c-TF-IDF names clusters after their distinctive words, uniquely', () => {
    const labels = ctfidfLabels([['refund my order', 'refund please for order'], ['reset password', 'password reset link']]);
    assert.match(labels[0].name, /refund/);
    assert.match(labels[1].name, /password/);
    assert.notEqual(labels[0].name, labels[1].name);
  });
});
