/**
 * The probe files (test/fixtures/probes): SQL written here to check shapes users write, recorded on a real Citus
 * 13.2.2 cluster (scripts/groundtruth/regress-files.ts --prelude, see the folder's README). The SQL is kept with the
 * recording, so this runs everywhere, CI included: each file is linted after the corpus schema, and the agreement must
 * stay at or above the floor in agreement.json.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadOlderGrammar, loadParser } from '../../src/core/parse/libpg';
import { PROBES_DIR, REGRESS_POSTGRES_MAJOR, scoreProbes } from '../../scripts/corpus-lib';

describe('probe files recorded on Citus 13.2.2 (test/fixtures/probes)', function () {
  this.timeout(120000);
  before(async () => {
    await loadParser();
    await loadOlderGrammar(REGRESS_POSTGRES_MAJOR);
  });

  it('agrees with the recording at least as often as the floor: INSERT..SELECT, DML and SELECT', () => {
    const floor = JSON.parse(fs.readFileSync(path.join(PROBES_DIR, 'agreement.json'), 'utf8')) as Record<'insert_select' | 'dml' | 'select', { agree: number; total: number }>;
    const score = scoreProbes();
    assert.deepEqual(score.left.map((l) => `${l.record.file}#${l.record.n}: ${l.why}`), [], 'every recorded statement is scored (the SQL and the recording belong together)');
    const counts = {
      insert_select: [score.scored.filter((s) => s.predicted === s.record.method).length, score.scored.length],
      dml: [score.dml.filter((s) => s.predicted === s.record.outcome).length, score.dml.length],
      select: [score.selects.filter((s) => s.predicted === s.record.outcome).length, score.selects.length],
    } as const;
    for (const kind of ['insert_select', 'dml', 'select'] as const) {
      const [agree, total] = counts[kind];
      assert.equal(total, floor[kind].total, `${kind}: statements scored`);
      const misses = kind === 'insert_select' ? score.scored.filter((s) => s.predicted !== s.record.method).map((s) => `${s.record.id}: real ${s.record.method}, predicted ${s.predicted}`) : (kind === 'dml' ? score.dml : score.selects).filter((s) => s.predicted !== s.record.outcome).map((s) => `${s.record.id}: real ${s.record.outcome}, predicted ${s.predicted}`);
      assert.ok(agree >= floor[kind].agree, `${kind} ${agree}/${total}, floor ${floor[kind].agree}:\n${misses.join('\n')}`);
    }
  });

  it('reports no refusal of a DDL statement or Citus call that ran, and at least the floor of those that were refused', () => {
    const floor = (JSON.parse(fs.readFileSync(path.join(PROBES_DIR, 'agreement.json'), 'utf8')) as { ddl: { confirmed: number; total: number } }).ddl;
    const { ddl } = scoreProbes();
    assert.equal(ddl.length, floor.total, 'DDL statements and Citus calls scored');
    const falseReports = ddl.filter((d) => d.reported && d.error === null).map((d) => `${d.id}: ${d.reported!.message}`);
    assert.deepEqual(falseReports, [], 'a refusal reported for a statement the cluster ran');
    const confirmed = ddl.filter((d) => d.reported && d.error !== null);
    assert.ok(confirmed.length >= floor.confirmed, `refusals confirmed: ${confirmed.length}, floor ${floor.confirmed}`);
    // the message is Citus' own
    const otherMessage = confirmed.filter((d) => d.error!.split('\n')[0] !== d.reported!.message).map((d) => `${d.id}: ${d.reported!.message} / ${d.error}`);
    assert.deepEqual(otherMessage, [], "a refusal reported with another message than the cluster's");
  });
});
