import { at } from './at';
import { ruleTests } from './harness';

const FETCH = 'INSERT INTO events (tenant_id, event_id, created_at) SELECT tenant_id, event_id + 200000, created_at FROM events FETCH FIRST 5 ROWS ONLY';
const TOP_N = `INSERT INTO events (tenant_id, event_id, created_at)
SELECT tenant_id, event_id + 200000, created_at FROM events
ORDER BY created_at DESC
LIMIT 100`;
const UPSERT = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id LIMIT 10 ON CONFLICT (tenant_id) DO NOTHING';
// once pushdown failed for another reason, an ORDER BY is a coordinator step too
const ORDER_AFTER = 'INSERT INTO tenant_stats (tenant_id, last_seen) SELECT DISTINCT ON (user_id) tenant_id, created_at FROM events ORDER BY user_id, created_at DESC';

ruleTests('limit-offset-blocks-pushdown', {
  valid: [
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id', method: 'pushdown' },
    // ORDER BY without LIMIT is pushed into every task
    { sql: 'INSERT INTO events (tenant_id, event_id, created_at) SELECT tenant_id, event_id + 1, created_at FROM events ORDER BY tenant_id', method: 'pushdown' },
    // a router SELECT (one tenant) may use LIMIT
    { sql: 'INSERT INTO events (tenant_id, event_id, created_at) SELECT tenant_id, event_id + 1, created_at FROM events WHERE tenant_id = 5 LIMIT 10', method: 'router' },
    // a LIMIT in a correlated subquery is evaluated per row
    {
      sql: 'INSERT INTO tenant_stats (tenant_id, last_seen) SELECT t.tenant_id, (SELECT e.created_at FROM events e WHERE e.tenant_id = t.tenant_id ORDER BY e.created_at DESC LIMIT 1) FROM tenant_stats t',
      method: 'pushdown',
    },
  ],
  invalid: [
    {
      sql: 'INSERT INTO tenant_stats (tenant_id, event_count)\nSELECT tenant_id, count(*) FROM events GROUP BY tenant_id\nLIMIT 5',
      method: 'pull_to_coordinator',
      findings: [{ line: 3, column: 1 }],
    },
    {
      sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, c FROM (SELECT tenant_id, count(*) AS c FROM events GROUP BY tenant_id ORDER BY c DESC LIMIT 10) top',
      method: 'pull_to_coordinator',
      findings: [{ line: 1, column: 156 }],
    },
    {
      sql: 'INSERT INTO events (tenant_id, event_id, created_at) SELECT tenant_id, event_id, created_at FROM events OFFSET 10',
      method: 'pull_to_coordinator',
      findings: [{ line: 1, column: 105 }],
    },
    // LIMIT ALL leaves the pushdown path but needs no coordinator step
    {
      sql: 'INSERT INTO events (tenant_id, event_id, created_at) SELECT tenant_id, event_id + 1, created_at FROM events LIMIT ALL',
      method: 'repartition',
      findings: [{ line: 1, column: 109 }],
    },
    { sql: FETCH, method: 'pull_to_coordinator', findings: [at(FETCH, 'FETCH')] },
    { sql: TOP_N, method: 'pull_to_coordinator', findings: [at(TOP_N, 'LIMIT')] },
    { sql: UPSERT, method: 'pull_to_coordinator', findings: [at(UPSERT, 'LIMIT')] },
    { sql: ORDER_AFTER, method: 'pull_to_coordinator', findings: [at(ORDER_AFTER, 'ORDER BY')] },
  ],
});
