import { at } from './at';
import { ruleTests } from './harness';

const DISTINCT_EXPR = "INSERT INTO event_types (event_type) SELECT DISTINCT event_type || '_v2' FROM events";
const DISTINCT_PLUS = "INSERT INTO ref_tenants (tenant_id, tenant_name) SELECT DISTINCT tenant_id + 1000, 'x' FROM events";
const DISTINCT_OTHER = 'INSERT INTO tenant_stats (tenant_id) SELECT DISTINCT user_id FROM events';
// DISTINCT ON in a FROM subquery: the fix adds tenant_id to the list, and no ORDER BY needs to follow
const SUBQUERY = `INSERT INTO tenant_stats (tenant_id, last_seen)
SELECT tenant_id, created_at
FROM (SELECT DISTINCT ON (user_id) tenant_id, created_at FROM events) s`;

ruleTests('distinct-without-dist-column', {
  valid: [
    { sql: 'INSERT INTO tenant_stats (tenant_id) SELECT DISTINCT tenant_id FROM events', method: 'pushdown' },
    { sql: 'INSERT INTO users (tenant_id, user_id) SELECT DISTINCT tenant_id, user_id FROM events WHERE user_id IS NOT NULL', method: 'pushdown' },
    { sql: 'INSERT INTO tenant_stats (tenant_id, last_seen) SELECT DISTINCT ON (tenant_id) tenant_id, created_at FROM events ORDER BY tenant_id, created_at DESC', method: 'pushdown' },
    { sql: "INSERT INTO daily_rollup (tenant_id, day, event_type, event_count) SELECT DISTINCT tenant_id, created_at::date, event_type, 0 FROM events", method: 'pushdown' },
  ],
  invalid: [
    { sql: DISTINCT_EXPR, method: 'pull_to_coordinator', findings: [at(DISTINCT_EXPR, 'DISTINCT')] },
    { sql: DISTINCT_PLUS, method: 'pull_to_coordinator', findings: [at(DISTINCT_PLUS, 'DISTINCT')] },
    { sql: DISTINCT_OTHER, method: 'pull_to_coordinator', findings: [at(DISTINCT_OTHER, 'DISTINCT')] },
    {
      sql: SUBQUERY,
      method: 'pull_to_coordinator',
      findings: [at(SUBQUERY, 'DISTINCT')],
      output: SUBQUERY.replace('DISTINCT ON (user_id)', 'DISTINCT ON (tenant_id, user_id)'),
    },
  ],
});

// regression (fixed in the predictor after these tables found it): with an ORDER BY, the fix only changes DISTINCT ON (user_id) to
// DISTINCT ON (tenant_id, user_id) and leaves ORDER BY user_id, ...; PostgreSQL rejects the result
// ("SELECT DISTINCT ON expressions must match initial ORDER BY expressions"), yet the analyzer
// predicts pushdown for it. The fix must also put tenant_id first in the ORDER BY.
const WITH_ORDER = 'INSERT INTO tenant_stats (tenant_id, last_seen) SELECT DISTINCT ON (user_id) tenant_id, created_at FROM events ORDER BY user_id, created_at DESC';
describe('regression: DISTINCT ON fix ignores the ORDER BY', () => {
  ruleTests('distinct-without-dist-column', {
    valid: [],
    invalid: [
      {
        sql: WITH_ORDER,
        method: 'pull_to_coordinator',
        findings: [at(WITH_ORDER, 'DISTINCT')],
        output: 'INSERT INTO tenant_stats (tenant_id, last_seen) SELECT DISTINCT ON (tenant_id, user_id) tenant_id, created_at FROM events ORDER BY tenant_id, user_id, created_at DESC',
      },
    ],
  });
});
