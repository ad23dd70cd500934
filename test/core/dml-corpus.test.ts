/**
 * The DML predictor against the recorded Citus 13.2.2 DML corpus (INSERT .. VALUES, UPDATE, DELETE,
 * MERGE, SELECT .. FOR UPDATE, COPY, SET citus.*). `npm run corpus` prints the full report; this test
 * fails on any disagreement (86/86 today).
 */
import { strict as assert } from 'node:assert';
import { loadParser } from '../../src/core/parse/libpg';
import { corpusModel } from '../../scripts/corpus-lib';
import { dmlAgreement, dmlDocument, formatDmlReport, loadDmlCorpus, scoreDmlCorpus } from '../../scripts/dml-corpus-lib';

describe('corpus agreement (DML)', () => {
  before(async () => {
    await loadParser();
  });

  it('agrees with the real cluster on every outcome', () => {
    const scored = scoreDmlCorpus(loadDmlCorpus(), corpusModel());
    assert.ok(scored.length >= 80, 'the DML corpus is there');
    const rate = dmlAgreement(scored);
    assert.equal(rate, 1, `agreement ${(rate * 100).toFixed(1)}%\n${formatDmlReport(scored)}`);
  });

  it('gives the number of shards the real run touched for most single/multi-shard statements', () => {
    const scored = scoreDmlCorpus(loadDmlCorpus(), corpusModel());
    const counted = scored.filter((s) => s.predicted === s.record.outcome && (s.record.outcome === 'multi_shard' || s.record.outcome === 'single_shard') && s.realShards !== undefined);
    assert.ok(counted.length >= 30);
    const exact = counted.filter((s) => s.shardCount === s.realShards && !s.upperBound).length;
    assert.ok(exact / counted.length >= 0.9, `shard counts exact for ${exact}/${counted.length}`);
  });

  it('gives the ERROR Citus printed for statements that fail', () => {
    const scored = scoreDmlCorpus(loadDmlCorpus(), corpusModel());
    const errors = scored.filter((s) => s.record.outcome === 'error' && s.predicted === 'error' && s.record.error);
    assert.ok(errors.length >= 20);
    const same = errors.filter((s) => {
      const first = s.record.error!.split('\n')[0];
      return s.predictedReasons.some((r) => r.split('\n')[0] === `ERROR:  ${first}`);
    });
    assert.ok(same.length / errors.length >= 0.9, `same ERROR for ${same.length}/${errors.length}: ${errors.filter((e) => !same.includes(e)).map((e) => e.record.id).join(', ')}`);
  });

  it('analyses setup, statement and inline COPY data as one psql document', () => {
    const copy = loadDmlCorpus().find((r) => r.copy_data && /FROM STDIN/i.test(r.sql));
    assert.ok(copy, 'a COPY record with data');
    const doc = dmlDocument(copy);
    assert.ok(doc.endsWith('\\.\n'), 'the data ends with \\.');
  });
});
