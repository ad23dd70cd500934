import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// PostgreSQL's own check (src/core/semantic/); every statement here is also run on a real PostgreSQL by
// test/db/semantic-rules.test.ts, which requires PostgreSQL to reject exactly the invalid ones.
const DROPPED = 'INSERT INTO daily_page_views (tenant_id, day, page_id, view_count) SELECT tenant_id, view_time::date, page_id, count(*) FROM page_views GROUP BY tenant_id, page_id';
const HAVING = 'SELECT tenant_id, count(*) FROM events GROUP BY tenant_id HAVING user_id > 1';
// `*` expands to every column, each checked (users' primary key is (tenant_id, user_id))
const STAR = 'SELECT * FROM users GROUP BY tenant_id';
const STAR_JOIN = 'SELECT * FROM users u JOIN tenant_stats t USING (tenant_id) GROUP BY tenant_id, u.user_id';
const STAR_SUBQUERY = 'SELECT * FROM (SELECT tenant_id, count(*) AS n FROM events GROUP BY 1) s GROUP BY tenant_id';
// a join's columns stand for its inputs' columns (PostgreSQL names the input in the message)
const JOIN_ALIAS = 'SELECT count(*) FROM (tenant_stats JOIN ref_tenants USING (tenant_id)) AS t(a, b, c, d) ORDER BY c';
// a column inside a grouped expression, used in an expression none of whose parts can be it (no date_trunc, no lower)
const OTHER_EXPR = "SELECT tenant_id, created_at::date, count(*) FROM events GROUP BY tenant_id, date_trunc('hour', created_at)";
const OTHER_FUNCTION = 'SELECT tenant_id, upper(event_type) FROM events GROUP BY tenant_id, lower(event_type)';
// the rollup's granularity changed in one place only: the same function, another constant (PostgreSQL compares constants)
const OTHER_GRAIN = "INSERT INTO daily_page_views (tenant_id, day, page_id, view_count) SELECT tenant_id, date_trunc('day', view_time), page_id, count(*) FROM page_views GROUP BY tenant_id, date_trunc('hour', view_time), page_id";
const OTHER_OPERATOR = 'SELECT tenant_id, user_id + 1 FROM events GROUP BY tenant_id, user_id * 2';
const OTHER_HAVING = 'SELECT tenant_id FROM events GROUP BY tenant_id, lower(event_type) HAVING count(*) > 1 AND length(event_type) > 2';
// ROW(a, b) is one grouping expression (a parenthesised list is its items)
const ROW_GROUP = 'SELECT tenant_id, view_time::date, count(*) FROM page_views GROUP BY ROW(tenant_id, view_time::date)';
const OTHER_ORDER = 'SELECT tenant_id, lower(event_type) FROM events GROUP BY tenant_id, lower(event_type) ORDER BY upper(event_type)';

const ROLLUP_KEY = 'SELECT tenant_id, tenant_name FROM ref_tenants GROUP BY ROLLUP (tenant_id)';
// a DEFERRABLE primary key makes no functional dependency (check_functional_grouping)
const DEFERRED_KEY = 'CREATE TABLE ug_d (id int PRIMARY KEY DEFERRABLE, v int);\nSELECT id, v FROM ug_d GROUP BY id';
const DEFERRED_TABLE_KEY = 'CREATE TABLE ug_d (id int, v int, CONSTRAINT ug_d_pk PRIMARY KEY (id) DEFERRABLE INITIALLY IMMEDIATE);\nSELECT id, v FROM ug_d GROUP BY id';
const SETS_KEY = 'SELECT tenant_id, tenant_name FROM ref_tenants GROUP BY GROUPING SETS ((tenant_id), (plan))';
// finalize_grouping_exprs(): GROUPING()'s arguments must be grouping expressions of its level (before ungrouped columns)
const GROUPING_ARG = 'SELECT tenant_id, count(*) FROM local_config GROUP BY tenant_id HAVING grouping(val) = 0';
const GROUPING_UNGROUPED = 'SELECT setting, grouping(setting) FROM local_config';

export const cases: RuleTable = {
  valid: [
    { sql: 'SELECT * FROM users GROUP BY tenant_id, user_id' },
    { sql: 'SELECT t.*, count(*) FROM tenant_stats t GROUP BY t.tenant_id' },
    { sql: 'SELECT * FROM users u JOIN tenant_stats t USING (tenant_id) GROUP BY u.tenant_id, u.user_id, t.tenant_id' },
    { sql: 'SELECT * FROM (SELECT tenant_id, count(*) AS n FROM events GROUP BY 1) s GROUP BY tenant_id, n' },
    // the same constant written with a cast to its own type is the same expression
    { sql: "SELECT tenant_id, date_trunc('hour'::text, created_at), count(*) FROM events GROUP BY tenant_id, date_trunc('hour', created_at)" },
    { sql: 'INSERT INTO daily_page_views (tenant_id, day, page_id, view_count) SELECT tenant_id, view_time::date, page_id, count(*) FROM page_views GROUP BY tenant_id, view_time::date, page_id', method: 'pushdown' },
    // a grouped primary key covers the table's other columns (functional dependency)
    { sql: 'SELECT u.tenant_id, u.user_id, u.name, count(*) FROM users u JOIN events e ON e.tenant_id = u.tenant_id AND e.user_id = u.user_id GROUP BY u.tenant_id, u.user_id' },
    // GROUP BY positions and output names
    { sql: 'SELECT tenant_id AS t, count(*) FROM events GROUP BY t' },
    // GROUP BY a USING column of a LEFT JOIN groups the left input's column, on which its primary key depends
    { sql: 'SELECT t.tenant_id, t.event_count, count(r.plan) FROM tenant_stats t LEFT JOIN ref_tenants r USING (tenant_id) GROUP BY tenant_id' },
    // an aggregate the model does not know (an extension's) is not inspected
    { sql: 'SELECT tenant_id, hll_add_agg(hll_hash_integer(user_id)) FROM events GROUP BY tenant_id', notOnPostgres: 'the hll extension' },
    // a grouped expression inside a larger one, and spellings PostgreSQL's parse analysis makes equal: a cast written
    // as a function, BETWEEN for two comparisons, IN of one value for =, LIKE for ~~
    { sql: "SELECT tenant_id, (created_at + interval '1 hour')::date FROM events GROUP BY tenant_id, created_at + interval '1 hour'" },
    { sql: 'SELECT tenant_id, date(created_at), count(*) FROM events GROUP BY tenant_id, created_at::date' },
    { sql: 'SELECT tenant_id, created_at BETWEEN now() AND now() FROM events GROUP BY tenant_id, created_at >= now() AND created_at <= now()' },
    { sql: 'SELECT tenant_id, user_id IN (5) FROM events GROUP BY tenant_id, user_id = 5' },
    { sql: "SELECT tenant_id, event_type LIKE 'a%' FROM events GROUP BY tenant_id, event_type ~~ 'a%'" },
    { sql: 'SELECT tenant_id, lower(event_type) || \'x\' FROM events GROUP BY tenant_id, lower(event_type)' },
    { sql: 'SELECT tenant_id, view_time::date, count(*) FROM page_views GROUP BY (tenant_id, view_time::date)' },
    // an aggregate in a subquery over the outer query's columns only is the outer query's aggregate (found in
    // PostgreSQL's regression files)
    { sql: 'SELECT tenant_id FROM events a GROUP BY tenant_id HAVING EXISTS (SELECT 1 FROM events b WHERE sum(DISTINCT a.user_id) = b.user_id)' },
    { sql: 'SELECT a.tenant_id, (SELECT sum(a.value) FROM events b LIMIT 1) FROM events a GROUP BY a.tenant_id' },
    // with grouping sets, a primary key held by every set makes the table's other columns dependent on it
    { sql: 'SELECT tenant_id, tenant_name FROM ref_tenants GROUP BY tenant_id, ROLLUP (plan)' },
    { sql: 'SELECT tenant_id, tenant_name FROM ref_tenants GROUP BY GROUPING SETS ((tenant_id, plan), (tenant_id))' },
    { sql: 'SELECT tenant_id, tenant_name FROM ref_tenants GROUP BY GROUPING SETS (tenant_id)' },
    { sql: 'CREATE TABLE ug_d (id int PRIMARY KEY NOT DEFERRABLE, v int);\nSELECT id, v FROM ug_d GROUP BY id' },
    // GROUPING() of grouping expressions, in grouping sets, an output name, HAVING, a subquery of the level grouped
    { sql: 'SELECT tenant_id, val, grouping(tenant_id, val) FROM local_config GROUP BY CUBE (tenant_id, val)' },
    { sql: 'SELECT tenant_id AS t, grouping(tenant_id) FROM local_config GROUP BY t HAVING grouping(tenant_id) = 0' },
    { sql: 'SELECT (SELECT grouping(e.tenant_id) FROM ref_tenants u LIMIT 1) FROM local_config e GROUP BY e.tenant_id' },
    { sql: 'SELECT grouping(tenant_id + 1) FROM local_config GROUP BY tenant_id + 1' },
  ],
  invalid: [
    { sql: GROUPING_ARG, outcome: 'error', findings: [at(GROUPING_ARG, 'grouping(val)')] },
    { sql: GROUPING_UNGROUPED, outcome: 'error', findings: [at(GROUPING_UNGROUPED, 'grouping(')] },
    { sql: STAR, outcome: 'error', findings: [at(STAR, '*')] },
    { sql: STAR_JOIN, outcome: 'error', findings: [at(STAR_JOIN, '*')] },
    { sql: STAR_SUBQUERY, outcome: 'error', findings: [at(STAR_SUBQUERY, '*')] },
    { sql: OTHER_GRAIN, method: 'error', findings: [at(OTHER_GRAIN, 'view_time')] },
    { sql: DROPPED, method: 'error', findings: [at(DROPPED, 'view_time')] },
    { sql: DEFERRED_KEY, outcome: 'error', findings: [at(DEFERRED_KEY, 'v FROM')] },
    { sql: DEFERRED_TABLE_KEY, outcome: 'error', findings: [at(DEFERRED_TABLE_KEY, 'v FROM')] },
    { sql: HAVING, outcome: 'error', findings: [at(HAVING, 'user_id')] },
    { sql: JOIN_ALIAS, outcome: 'error', findings: [at(JOIN_ALIAS, 'ORDER BY c', 1, 9)] },
    { sql: OTHER_EXPR, outcome: 'error', findings: [at(OTHER_EXPR, 'created_at::date')] },
    { sql: OTHER_FUNCTION, outcome: 'error', findings: [at(OTHER_FUNCTION, 'event_type)')] },
    { sql: OTHER_OPERATOR, outcome: 'error', findings: [at(OTHER_OPERATOR, 'user_id + 1')] },
    { sql: OTHER_HAVING, outcome: 'error', findings: [at(OTHER_HAVING, 'event_type) > 2')] },
    { sql: ROW_GROUP, outcome: 'error', findings: [at(ROW_GROUP, 'tenant_id')] },
    { sql: OTHER_ORDER, outcome: 'error', findings: [at(OTHER_ORDER, 'event_type)', 3)] },
    // ... and one that a set does not hold does not (ROLLUP and CUBE hold the empty set): PostgreSQL's gset_common
    { sql: ROLLUP_KEY, outcome: 'error', findings: [at(ROLLUP_KEY, 'tenant_name')] },
    { sql: SETS_KEY, outcome: 'error', findings: [at(SETS_KEY, 'tenant_name')] },
  ],
};

ruleTests('ungrouped-column', cases);
