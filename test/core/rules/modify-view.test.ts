import { at } from './at';
import { strict as assert } from 'node:assert';
import { loadParser } from '../../../src/core/parse/libpg';
import { analyze, ruleTests } from './harness';

// Each case was run on Citus 13.2.2 (PostgreSQL 15), in a transaction rolled back: the refused ones fail with the
// message of `citus`, the INSERT..SELECTs run with the method given (test/fixtures/probes/sql/views-as-targets.sql).
const DDL = `CREATE TABLE stats (tenant_id int PRIMARY KEY, event_count bigint, total numeric);
SELECT create_distributed_table('stats', 'tenant_id');
CREATE TABLE events (tenant_id int, v int);
SELECT create_distributed_table('events', 'tenant_id', colocate_with => 'stats');
CREATE TABLE loc (k int PRIMARY KEY, v int);
CREATE VIEW stats_v AS SELECT tenant_id, event_count FROM stats WHERE event_count >= 0;
CREATE VIEW stats_renamed (t, n) AS SELECT tenant_id, event_count FROM stats;
CREATE VIEW stats_by_n AS SELECT event_count, count(*) AS c FROM stats GROUP BY 1;
CREATE VIEW loc_v AS SELECT v AS value, k FROM loc;
`;
const UPDATE = 'UPDATE stats_v SET event_count = 0 WHERE tenant_id = 1';
const DELETE_LOCAL = 'DELETE FROM loc_v WHERE k IN (SELECT tenant_id FROM events)';
const INSERT = 'INSERT INTO stats_v VALUES (1, 2)';
const GROUPED = 'UPDATE stats_by_n SET c = 0';
const INTO_VIEW = 'INSERT INTO stats_v (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id';
const RENAMED = 'INSERT INTO stats_renamed (t, n) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id';
const EXCLUDED = `${INTO_VIEW} ON CONFLICT (tenant_id) DO UPDATE SET event_count = excluded.event_count`;

const PLAIN = `CREATE TABLE loc (k int PRIMARY KEY, v int);
CREATE VIEW loc_by_v AS SELECT v, count(*) AS n FROM loc GROUP BY v;
CREATE VIEW loc_distinct AS SELECT DISTINCT v FROM loc;
CREATE VIEW loc_top AS SELECT * FROM loc LIMIT 10;
CREATE VIEW loc_all AS SELECT k, v FROM loc;
CREATE VIEW loc_over AS SELECT * FROM loc_by_v;
`;
const OVER = 'UPDATE loc_over SET n = 0';
const PLAIN_UPDATE = 'UPDATE loc_by_v SET n = 0';
const PLAIN_DELETE = 'DELETE FROM loc_distinct WHERE v = 1';
const PLAIN_INSERT_SELECT = 'INSERT INTO loc_top SELECT * FROM loc';

ruleTests('modify-view', {
  valid: [
    { schema: DDL, sql: 'UPDATE loc_v SET value = 1 WHERE k = 2', outcome: 'local' },
    { schema: PLAIN, sql: 'UPDATE loc_all SET v = 1 WHERE k = 2', outcome: 'local' },
    { schema: DDL, sql: 'INSERT INTO loc_v VALUES (1, 2) ON CONFLICT (k) DO NOTHING', outcome: 'local' },
    { schema: DDL, sql: 'UPDATE stats SET event_count = 0 WHERE tenant_id = 1 AND event_count >= 0', outcome: 'single_shard' },
    { schema: DDL, sql: 'INSERT INTO stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id', method: 'pushdown' },
  ],
  invalid: [
    { schema: DDL, sql: UPDATE, outcome: 'error', findings: [at(UPDATE, 'stats_v')] },
    { schema: DDL, sql: DELETE_LOCAL, outcome: 'error', findings: [at(DELETE_LOCAL, 'loc_v')] },
    { schema: DDL, sql: INSERT, outcome: 'error', findings: [at(INSERT, 'stats_v')] },
    { schema: DDL, sql: GROUPED, outcome: 'error', findings: [at(GROUPED, 'stats_by_n')] },
    { schema: DDL, sql: INTO_VIEW, method: 'repartition', findings: [at(INTO_VIEW, 'stats_v')] },
    { schema: DDL, sql: RENAMED, method: 'error', findings: [at(RENAMED, 'stats_renamed')] },
    { schema: DDL, sql: EXCLUDED, method: 'error', findings: [at(EXCLUDED, 'excluded.event_count')] },
    // a plain view PostgreSQL does not write through (checked on PostgreSQL 15): refused whatever the tables
    { schema: PLAIN, sql: PLAIN_UPDATE, outcome: 'error', findings: [at(PLAIN_UPDATE, 'loc_by_v')] },
    { schema: PLAIN, sql: PLAIN_DELETE, outcome: 'error', findings: [at(PLAIN_DELETE, 'loc_distinct')] },
    { schema: PLAIN, sql: PLAIN_INSERT_SELECT, method: 'error', findings: [at(PLAIN_INSERT_SELECT, 'loc_top')] },
    // a view over one PostgreSQL does not write through: the error names the inner view (checked on PostgreSQL 15)
    { schema: PLAIN, sql: OVER, outcome: 'error', findings: [at(OVER, 'loc_over')] },
  ],
});

describe('rule modify-view: the message Citus or PostgreSQL prints', () => {
  before(loadParser);
  const cases: [string, string][] = [
    [UPDATE, 'cannot modify views when the query contains citus tables'],
    [DELETE_LOCAL, 'cannot modify views when the query contains citus tables'],
    [INSERT, 'cannot modify views when the query contains citus tables'],
    [GROUPED, 'cannot update view "stats_by_n"'],
    [INTO_VIEW, 'cannot insert into view over distributed table'],
    [RENAMED, 'cache lookup failed for type 0'],
    [EXCLUDED, 'missing FROM-clause entry for table "excluded_1"'],
  ];
  for (const [sql, message] of cases) {
    it(message + ': ' + sql.slice(0, 50), () => {
      const found = analyze(sql, DDL).findings.filter((f) => f.rule === 'modify-view');
      assert.deepEqual(found.map((f) => f.citus?.message), [message]);
    });
  }
  it('a view over a view PostgreSQL does not write through: the message names the inner view, as PostgreSQL does', () => {
    const found = analyze(OVER, PLAIN).findings.filter((f) => f.rule === 'modify-view');
    assert.deepEqual(found.map((f) => f.citus?.message), ['cannot update view "loc_by_v"']);
  });
  it("a view that is not automatically updatable and has no INSTEAD OF trigger: PostgreSQL's error (probe views-as-targets.sql, recorded)", () => {
    const a = analyze('INSERT INTO stats_by_n VALUES (1, 2)', DDL);
    assert.deepEqual(a.findings.filter((f) => f.severity === 'error').map((f) => [f.rule, f.citus?.message, f.citus?.detail]), [['modify-view', 'cannot insert into view "stats_by_n"', 'Views containing GROUP BY are not automatically updatable.']]);
    assert.equal(a.statements[0].outcome, 'error');
  });
  it('a view over Citus tables with an INSTEAD OF trigger (of any event) gets no prediction', () => {
    const withTrigger = `${DDL}CREATE FUNCTION stats_ins() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\nCREATE TRIGGER stats_by_n_ins INSTEAD OF DELETE ON stats_by_n FOR EACH ROW EXECUTE FUNCTION stats_ins();\n`;
    const a = analyze('INSERT INTO stats_by_n VALUES (1, 2)', withTrigger);
    assert.deepEqual(a.findings.filter((f) => f.severity === 'error'), []);
    assert.equal(a.statements[0].outcome, undefined);
  });
});
