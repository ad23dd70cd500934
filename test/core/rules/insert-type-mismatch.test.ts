import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// PostgreSQL's own check (src/core/semantic/); every statement here is also run on a real PostgreSQL by
// test/db/semantic-rules.test.ts, which requires PostgreSQL to reject exactly the invalid ones.
const SWAPPED = 'INSERT INTO daily_page_views (tenant_id, day, page_id, view_count) SELECT view_time::date, tenant_id, page_id, count(*) FROM page_views GROUP BY 1, 2, 3';
const UPDATE_SET = "UPDATE tenant_stats SET last_seen = 5 WHERE tenant_id = 1";

export const cases: RuleTable = {
  valid: [
    // assignment casts: bigint into int, numeric into bigint, anything into text
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count, total_value) SELECT tenant_id::bigint, sum(value), count(*) FROM events GROUP BY tenant_id', method: 'repartition' },
    { sql: "INSERT INTO ref_tenants (tenant_id, tenant_name) SELECT tenant_id, created_at FROM events" },
    // an untyped literal takes the column's type
    { sql: "INSERT INTO tenant_stats (tenant_id, last_seen) VALUES (1, '2024-01-01')" },
  ],
  invalid: [
    { sql: SWAPPED, method: 'error', findings: [at(SWAPPED, 'view_time::date'), at(SWAPPED, 'tenant_id', 2)] },
    { sql: UPDATE_SET, outcome: 'error', findings: [at(UPDATE_SET, '5')] },
  ],
};

ruleTests('insert-type-mismatch', cases);
