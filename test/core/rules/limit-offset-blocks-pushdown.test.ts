import { ruleTests } from './harness';

ruleTests('limit-offset-blocks-pushdown', {
  valid: [
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id', method: 'pushdown' },
    // ORDER BY without LIMIT is pushed into every task
    { sql: 'INSERT INTO events (tenant_id, event_id, created_at) SELECT tenant_id, event_id + 1, created_at FROM events ORDER BY tenant_id', method: 'pushdown' },
    // a router SELECT (one tenant) may use LIMIT
    { sql: 'INSERT INTO events (tenant_id, event_id, created_at) SELECT tenant_id, event_id + 1, created_at FROM events WHERE tenant_id = 5 LIMIT 10', method: 'router' },
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
  ],
});
