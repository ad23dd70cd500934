/**
 * Citus' own regression files against what a real Citus 13.2.2 cluster did with them
 * (test/fixtures/regress-files, recorded by scripts/groundtruth/regress-files.ts). The fixture holds no SQL
 * (the files are Citus' code): the files are read from a Citus checkout named by CITUS_REGRESS_SUITE
 * (its src/test/regress folder), so this runs only where one is; elsewhere it is skipped, saying so.
 * Each file is linted on its own with the harness' settings, and the agreement must stay at or above the
 * floor in the fixture folder's agreement.json.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadOlderGrammar, loadParser } from '../../src/core/parse/libpg';
import { readJsonl, REGRESS_FILES_DDL_FIXTURE, REGRESS_FILES_DML_FIXTURE, REGRESS_FILES_FIXTURE, REGRESS_FILES_SELECT_FIXTURE, REGRESS_POSTGRES_MAJOR, scoreRegressFiles, type RegressFileRecord } from '../../scripts/corpus-lib';

const SUITE = process.env.CITUS_REGRESS_SUITE;
const FLOOR = path.join(path.dirname(REGRESS_FILES_FIXTURE), 'agreement.json');
const HARNESS = { 'citus.shard_count': '4', 'citus.shard_replication_factor': '2' };

describe("Citus' regression files (CITUS_REGRESS_SUITE)", function () {
  this.timeout(300000);
  before(async function () {
    if (!SUITE) {
      console.log('      SKIPPED: set CITUS_REGRESS_SUITE=<citus v13.2.2 checkout>/src/test/regress to score the recorded regression files');
      this.skip();
    }
    await loadParser();
    await loadOlderGrammar(REGRESS_POSTGRES_MAJOR);
  });

  it('agrees with the cluster at least as often as the recorded floor, INSERT..SELECT and DML', () => {
    const floor = JSON.parse(fs.readFileSync(FLOOR, 'utf8')) as Record<'insert_select' | 'dml', { agree: number; total: number }>;
    const score = scoreRegressFiles(readJsonl<RegressFileRecord>(REGRESS_FILES_FIXTURE), SUITE!, HARNESS, readJsonl<RegressFileRecord>(REGRESS_FILES_DML_FIXTURE));
    const insertAgree = score.scored.filter((s) => s.predicted === s.record.method).length;
    const dmlAgree = score.dml.filter((s) => s.predicted === s.record.outcome).length;
    assert.equal(score.scored.length, floor.insert_select.total, 'the INSERT..SELECTs scored (another checkout than v13.2.2?)');
    assert.equal(score.dml.length, floor.dml.total, 'the DML statements scored');
    assert.ok(insertAgree >= floor.insert_select.agree, `INSERT..SELECT ${insertAgree}/${score.scored.length}, floor ${floor.insert_select.agree}`);
    assert.ok(dmlAgree >= floor.dml.agree, `DML ${dmlAgree}/${score.dml.length}, floor ${floor.dml.agree}`);
  });

  it('predicts no SELECT that ran as refused, and agrees on SELECTs at least as often as the recorded floor', () => {
    const floor = (JSON.parse(fs.readFileSync(FLOOR, 'utf8')) as { select: { agree: number; total: number } }).select;
    const { selects } = scoreRegressFiles([], SUITE!, HARNESS, [], undefined, readJsonl<RegressFileRecord>(REGRESS_FILES_SELECT_FIXTURE));
    assert.equal(selects.length, floor.total, 'the SELECTs scored');
    assert.deepEqual(selects.filter((x) => x.predicted === 'error' && x.record.outcome !== 'error').map((x) => x.record.id), [], 'a SELECT that ran predicted refused');
    const agree = selects.filter((x) => x.predicted === x.record.outcome).length;
    assert.ok(agree >= floor.agree, `SELECT ${agree}/${selects.length}, floor ${floor.agree}`);
  });

  it('reports no refusal of a DDL statement or Citus call that ran, and at least the floor of those that were refused', () => {
    const floor = (JSON.parse(fs.readFileSync(FLOOR, 'utf8')) as { ddl: { confirmed: number; total: number } }).ddl;
    const { ddl } = scoreRegressFiles([], SUITE!, HARNESS, [], undefined, [], false, readJsonl<RegressFileRecord>(REGRESS_FILES_DDL_FIXTURE));
    assert.equal(ddl.length, floor.total, 'the DDL statements and Citus calls scored');
    assert.deepEqual(ddl.filter((d) => d.reported && d.error === null).map((d) => `${d.id}: ${d.reported!.message}`), [], 'a refusal reported for a statement that ran');
    const confirmed = ddl.filter((d) => d.reported && d.error !== null).length;
    assert.ok(confirmed >= floor.confirmed, `refusals confirmed: ${confirmed}, floor ${floor.confirmed}`);
  });
});
