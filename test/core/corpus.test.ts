/**
 * The predictor against the recorded Citus 13.2.2 corpus (ground truth from a real cluster).
 * `npm run corpus` prints the full report; this test fails on any disagreement (the shared corpus is at
 * 248/248; the generated sets have their own ratchet in test/groundtruth/generated-corpus.test.ts).
 */
import { strict as assert } from 'node:assert';
import { loadParser } from '../../src/core/parse/libpg';
import { agreement, corpusModel, formatReport, loadCorpus, scoreCorpus } from '../../scripts/corpus-lib';

describe('corpus agreement (INSERT..SELECT)', () => {
  before(async () => {
    await loadParser();
  });

  it('agrees with the real cluster on every statement', () => {
    const scored = scoreCorpus(loadCorpus(), corpusModel());
    const rate = agreement(scored);
    assert.ok(scored.length >= 200, 'the corpus is there');
    assert.equal(rate, 1, `agreement ${(rate * 100).toFixed(1)}%\n${formatReport(scored)}`);
  });

  it("gives Citus' own first reason for statements that fall back", () => {
    // the first DEBUG message that rejects pushdown is the one users see on the cluster
    const scored = scoreCorpus(loadCorpus(), corpusModel());
    const fallback = scored.filter((s) => (s.record.method === 'repartition' || s.record.method === 'pull_to_coordinator') && s.predicted === s.record.method);
    let same = 0;
    let compared = 0;
    for (const s of fallback) {
      const real = s.record.reasons.find((r) => !/Creating router plan|Router planner cannot|CTE .* is going to be inlined|query has a single|Distributed planning for a fast|Local tables cannot|Wrapping relation|generating subplan|Plan \d+ query|recursively planning|push down of limit|Collecting INSERT|performing repartitioned|partitioning SELECT|skipping recursive|Skipping target|Sequences cannot/.test(r));
      if (!real) continue;
      compared++;
      if (s.predictedReasons[0] === real) same++;
    }
    assert.ok(compared > 50);
    assert.ok(same / compared >= 0.9, `first reason matches for ${same}/${compared}`);
  });
});
