import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// PostgreSQL's own check (src/core/semantic/); every statement here is also run on a real PostgreSQL by
// test/db/semantic-rules.test.ts, which requires PostgreSQL to reject exactly the invalid ones.
const DROPPED = 'INSERT INTO daily_page_views (tenant_id, day, page_id, view_count) SELECT tenant_id, view_time::date, page_id, count(*) FROM page_views GROUP BY tenant_id, page_id';
const HAVING = 'SELECT tenant_id, count(*) FROM events GROUP BY tenant_id HAVING user_id > 1';
// a join's columns stand for its inputs' columns (PostgreSQL names the input in the message)
const JOIN_ALIAS = 'SELECT count(*) FROM (tenant_stats JOIN ref_tenants USING (tenant_id)) AS t(a, b, c, d) ORDER BY c';

export const cases: RuleTable = {
  valid: [
    { sql: 'INSERT INTO daily_page_views (tenant_id, day, page_id, view_count) SELECT tenant_id, view_time::date, page_id, count(*) FROM page_views GROUP BY tenant_id, view_time::date, page_id', method: 'pushdown' },
    // a grouped primary key covers the table's other columns (functional dependency)
    { sql: 'SELECT u.tenant_id, u.user_id, u.name, count(*) FROM users u JOIN events e ON e.tenant_id = u.tenant_id AND e.user_id = u.user_id GROUP BY u.tenant_id, u.user_id' },
    // GROUP BY positions and output names
    { sql: 'SELECT tenant_id AS t, count(*) FROM events GROUP BY t' },
    // GROUP BY a USING column of a LEFT JOIN groups the left input's column, on which its primary key depends
    { sql: 'SELECT t.tenant_id, t.event_count, count(r.plan) FROM tenant_stats t LEFT JOIN ref_tenants r USING (tenant_id) GROUP BY tenant_id' },
    // an aggregate the model does not know (an extension's) is not inspected
    { sql: 'SELECT tenant_id, hll_add_agg(hll_hash_integer(user_id)) FROM events GROUP BY tenant_id', notOnPostgres: 'the hll extension' },
  ],
  invalid: [
    { sql: DROPPED, method: 'error', findings: [at(DROPPED, 'view_time')] },
    { sql: HAVING, outcome: 'error', findings: [at(HAVING, 'user_id')] },
    { sql: JOIN_ALIAS, outcome: 'error', findings: [at(JOIN_ALIAS, 'ORDER BY c', 1, 9)] },
  ],
};

ruleTests('ungrouped-column', cases);
