import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// PostgreSQL's own check (src/core/semantic/); every statement here is also run on a real PostgreSQL by
// test/db/semantic-rules.test.ts, which requires PostgreSQL to reject exactly the invalid ones.
const TYPO = 'INSERT INTO daily_page_views (tenant_id, day, page_id, view_count) SELECT tenant_id, view_time::date, pag_id, count(*) FROM page_views GROUP BY 1, 2, 3';
const QUALIFIED = 'SELECT pv.urll FROM page_views pv';
const TARGET = 'INSERT INTO daily_page_views (tenant_id, day, page_id, view_count, extra) SELECT tenant_id, view_time::date, page_id, count(*) FROM page_views GROUP BY 1, 2, 3';
const UPDATE_SET = 'UPDATE tenant_stats SET evnt_count = 0 WHERE tenant_id = 5';
const USING = 'SELECT count(*) FROM events JOIN users USING (user_idd)';

const CAST_NOTATION = 'SELECT e.text FROM events e';
// ALTER TABLE .. DROP COLUMN fails without CASCADE when a trigger or a view depends on the column, and the column stays
// (each checked with psql on PostgreSQL 15, autocommit; in one transaction, as test/db/semantic.test.ts runs a case,
// the failed ALTER would abort the rest)
const DROP_FAILS = 'the DROP COLUMN fails: in one transaction the rest is not run';
const TRIGGER_DEPENDS = `CREATE TABLE main_table (a int, b int);
CREATE FUNCTION trigger_func() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER after_upd_b AFTER UPDATE OF b ON main_table FOR EACH ROW EXECUTE PROCEDURE trigger_func();
ALTER TABLE main_table DROP COLUMN b;
UPDATE main_table SET b = 1`;
const VIEW_DEPENDS = 'CREATE TABLE t2 (a int, b int, c int);\nCREATE VIEW v2 AS SELECT a, c FROM t2;\nALTER TABLE t2 DROP COLUMN c;\nSELECT c FROM t2';
const DROPPED = 'CREATE TABLE t2 (a int, b int, c int);\nCREATE VIEW v2 AS SELECT a, c FROM t2;\nALTER TABLE t2 DROP COLUMN b;\nSELECT b FROM t2';
// a subquery of UPDATE's FROM does not see the target: its columns do not exist there (PostgreSQL's hint names them)
// CREATE VIEW / CREATE TABLE .. AS / CREATE MATERIALIZED VIEW analyse their query when they are created
const VIEW_TYPO = 'CREATE VIEW tenant_counts AS SELECT tenant_id, count(*) FROM events GROUP BY tenant_idd';
const CTAS_TYPO = 'CREATE TABLE snapshot_events AS SELECT tenant_id, evnt_type FROM events';
const MATVIEW_TYPO = 'CREATE MATERIALIZED VIEW tenant_sums AS SELECT tenant_id, sum(valu) FROM events GROUP BY 1';
const FROM_SUBQUERY = 'UPDATE users SET name = s.event_type FROM (SELECT * FROM events WHERE events.user_id = email::int) s WHERE s.tenant_id = users.tenant_id';
export const cases: RuleTable = {
  valid: [
    // a temporary table hides a table of its name, which its schema's name still reads
    { sql: 'CREATE TABLE uc_t (w int);\nCREATE TEMP TABLE uc_t (tmp_only int);\nSELECT tmp_only FROM uc_t;\nSELECT w FROM public.uc_t' },
    { sql: 'INSERT INTO daily_page_views (tenant_id, day, page_id, view_count) SELECT tenant_id, view_time::date, page_id, count(*) FROM page_views GROUP BY 1, 2, 3', method: 'pushdown' },
    // a column a DO block may have added (the model does not run bodies): not said
    { sql: 'CREATE TABLE uc_do (id int);\nDO $$ BEGIN ALTER TABLE uc_do ADD COLUMN w int; END $$;\nSELECT w FROM uc_do' },
    // a PL/pgSQL variable is not a column
    { sql: "CREATE FUNCTION f(p_tenant int) RETURNS void LANGUAGE plpgsql AS $$ BEGIN DELETE FROM tenant_stats WHERE tenant_id = p_tenant; END $$" },
    // a table whose columns the model does not know: nothing is said
    { sql: 'SELECT anything FROM no_such_table', notOnPostgres: 'a table the model does not know' },
    // system columns
    { sql: 'SELECT ctid, tableoid FROM events WHERE tenant_id = 1' },
    // DDL rolled back does not count
    { sql: 'BEGIN; ALTER TABLE tenant_stats DROP COLUMN last_seen; ROLLBACK; SELECT last_seen FROM tenant_stats' },
    // rel.f is also the call f(rel): a function the file creates, or a built-in that takes any row
    { sql: "CREATE FUNCTION event_label(events) RETURNS text LANGUAGE sql AS 'SELECT $1.event_type';\nSELECT e.event_label FROM events e" },
    { sql: 'SELECT e.row_to_json FROM events e' },
    // CYCLE's mark column is read in the recursive term, and `*` there does not include it
    { sql: 'WITH RECURSIVE t AS (SELECT 0 AS x UNION ALL SELECT (x + 1) % 10 FROM t WHERE NOT is_cycle) CYCLE x SET is_cycle USING path SELECT x, is_cycle, path FROM t' },
    { sql: 'WITH RECURSIVE a AS (SELECT 1 AS b UNION ALL SELECT * FROM a) CYCLE b SET c USING p SELECT * FROM a' },
    { sql: TRIGGER_DEPENDS, notOnPostgres: DROP_FAILS },
    { sql: VIEW_DEPENDS, notOnPostgres: DROP_FAILS },
    { sql: 'CREATE VIEW tenant_counts (t, n) AS SELECT tenant_id, count(*) FROM events GROUP BY tenant_id' },
    { sql: 'CREATE TABLE events_copy AS SELECT * FROM events WITH NO DATA' },
  ],
  invalid: [
    { sql: FROM_SUBQUERY, outcome: 'error', findings: [at(FROM_SUBQUERY, 'email')] },
    { sql: TYPO, method: 'error', findings: [at(TYPO, 'pag_id')] },
    { sql: QUALIFIED, outcome: 'error', findings: [at(QUALIFIED, 'pv.urll')] },
    { sql: TARGET, method: 'error', findings: [at(TARGET, 'extra')] },
    { sql: UPDATE_SET, outcome: 'error', findings: [at(UPDATE_SET, 'evnt_count')] },
    { sql: USING, outcome: 'error', findings: [at(USING, 'events')] },
    // not a cast: column notation is not allowed for one
    { sql: CAST_NOTATION, outcome: 'error', findings: [at(CAST_NOTATION, 'e.text')] },
    { sql: DROPPED, outcome: 'error', findings: [at(DROPPED, 'SELECT b', 1, 7)] },
    { sql: VIEW_TYPO, findings: [at(VIEW_TYPO, 'tenant_idd')] },
    { sql: CTAS_TYPO, findings: [at(CTAS_TYPO, 'evnt_type')] },
    { sql: MATVIEW_TYPO, findings: [at(MATVIEW_TYPO, 'valu')] },
  ],
};

ruleTests('unknown-column', cases);
