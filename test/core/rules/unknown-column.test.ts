import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// PostgreSQL's own check (src/core/semantic/); every statement here is also run on a real PostgreSQL by
// test/db/semantic-rules.test.ts, which requires PostgreSQL to reject exactly the invalid ones.
const TYPO = 'INSERT INTO daily_page_views (tenant_id, day, page_id, view_count) SELECT tenant_id, view_time::date, pag_id, count(*) FROM page_views GROUP BY 1, 2, 3';
const QUALIFIED = 'SELECT pv.urll FROM page_views pv';
const TARGET = 'INSERT INTO daily_page_views (tenant_id, day, page_id, view_count, extra) SELECT tenant_id, view_time::date, page_id, count(*) FROM page_views GROUP BY 1, 2, 3';
const UPDATE_SET = 'UPDATE tenant_stats SET evnt_count = 0 WHERE tenant_id = 5';
const USING = 'SELECT count(*) FROM events JOIN users USING (user_idd)';

export const cases: RuleTable = {
  valid: [
    { sql: 'INSERT INTO daily_page_views (tenant_id, day, page_id, view_count) SELECT tenant_id, view_time::date, page_id, count(*) FROM page_views GROUP BY 1, 2, 3', method: 'pushdown' },
    // a PL/pgSQL variable is not a column
    { sql: "CREATE FUNCTION f(p_tenant int) RETURNS void LANGUAGE plpgsql AS $$ BEGIN DELETE FROM tenant_stats WHERE tenant_id = p_tenant; END $$" },
    // a table whose columns the model does not know: nothing is said
    { sql: 'SELECT anything FROM no_such_table', notOnPostgres: 'a table the model does not know' },
    // system columns
    { sql: 'SELECT ctid, tableoid FROM events WHERE tenant_id = 1' },
    // DDL rolled back does not count
    { sql: 'BEGIN; ALTER TABLE tenant_stats DROP COLUMN last_seen; ROLLBACK; SELECT last_seen FROM tenant_stats' },
  ],
  invalid: [
    { sql: TYPO, method: 'error', findings: [at(TYPO, 'pag_id')] },
    { sql: QUALIFIED, outcome: 'error', findings: [at(QUALIFIED, 'pv.urll')] },
    { sql: TARGET, method: 'error', findings: [at(TARGET, 'extra')] },
    { sql: UPDATE_SET, outcome: 'error', findings: [at(UPDATE_SET, 'evnt_count')] },
    { sql: USING, outcome: 'error', findings: [at(USING, 'events')] },
  ],
};

ruleTests('unknown-column', cases);
