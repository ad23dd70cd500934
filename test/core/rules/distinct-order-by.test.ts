import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// PostgreSQL's own check (src/core/semantic/); every statement here is also run on a real PostgreSQL by
// test/db/semantic.test.ts, which requires PostgreSQL to reject exactly the invalid ones.
const NOT_SELECTED = 'SELECT DISTINCT tenant_id FROM events ORDER BY user_id';
const NOT_LEADING = 'SELECT DISTINCT ON (user_id) tenant_id, user_id FROM events ORDER BY tenant_id';
const AFTER_OTHER = 'SELECT DISTINCT ON (tenant_id) tenant_id, user_id FROM events ORDER BY created_at, tenant_id';
// an aggregate with DISTINCT: its ORDER BY must be among its arguments (a rollup's event list by time)
const AGG_OTHER = "SELECT tenant_id, string_agg(DISTINCT event_type, ',' ORDER BY created_at) FROM events GROUP BY tenant_id";
const AGG_COUNT = 'SELECT count(DISTINCT user_id ORDER BY event_id) FROM events';
const AGG_OUTER = "SELECT (SELECT string_agg(DISTINCT u.event_type, ',' ORDER BY e.user_id) FROM events u) FROM events e";
const AGG_ROLLUP = "INSERT INTO daily_page_views (tenant_id, day, page_id, view_count) SELECT tenant_id, view_time::date, page_id, count(DISTINCT host_ip ORDER BY view_time) FROM page_views GROUP BY 1, 2, 3";

export const cases: RuleTable = {
  valid: [
    { sql: 'SELECT DISTINCT tenant_id FROM events ORDER BY tenant_id' },
    { sql: 'SELECT DISTINCT tenant_id AS t FROM events ORDER BY t DESC' },
    { sql: 'SELECT DISTINCT tenant_id, user_id FROM events ORDER BY 2, 1' },
    { sql: 'SELECT DISTINCT e.tenant_id FROM events e ORDER BY tenant_id' },
    { sql: 'SELECT DISTINCT tenant_id, count(*) FROM events GROUP BY tenant_id ORDER BY count(*)' },
    // DISTINCT ON leading the ORDER BY, in any order among themselves; what follows picks the row kept
    { sql: 'SELECT DISTINCT ON (tenant_id) tenant_id, user_id FROM events ORDER BY tenant_id, created_at DESC' },
    { sql: 'SELECT DISTINCT ON (tenant_id, user_id) * FROM events ORDER BY user_id, tenant_id, created_at' },
    { sql: 'SELECT DISTINCT ON (tenant_id) tenant_id, user_id FROM events' },
    { sql: "SELECT string_agg(DISTINCT event_type, ',' ORDER BY event_type DESC) FROM events" },
    { sql: "SELECT string_agg(DISTINCT e.event_type, ',' ORDER BY event_type) FROM events e" },
    { sql: 'SELECT array_agg(DISTINCT (user_id, event_id) ORDER BY (user_id, event_id)) FROM events' },
    { sql: "SELECT string_agg(DISTINCT event_type::text, ',' ORDER BY event_type) FROM events" },
    // (an expression of the same columns: PostgreSQL refuses `v + 1` against `v`, the model cannot tell such apart)
    { sql: 'SELECT array_agg(DISTINCT user_id ORDER BY user_id + 1) FROM events', notOnPostgres: 'PostgreSQL refuses it; the model says nothing' },
  ],
  invalid: [
    { sql: NOT_SELECTED, outcome: 'error', findings: [at(NOT_SELECTED, 'user_id')] },
    { sql: NOT_LEADING, outcome: 'error', findings: [at(NOT_LEADING, 'user_id')] },
    { sql: AFTER_OTHER, outcome: 'error', findings: [at(AFTER_OTHER, 'tenant_id')] },
    { sql: AGG_OTHER, outcome: 'error', findings: [at(AGG_OTHER, 'created_at')] },
    { sql: AGG_COUNT, outcome: 'error', findings: [at(AGG_COUNT, 'event_id')] },
    { sql: AGG_OUTER, outcome: 'error', findings: [at(AGG_OUTER, 'e.user_id')] },
    { sql: AGG_ROLLUP, method: 'error', findings: [at(AGG_ROLLUP, 'view_time)')] },
  ],
};

ruleTests('distinct-order-by', cases);
