import { rollupRuleTests } from '../../rollup/rule-harness';

const ID = 'rollup-window-without-lag';

rollupRuleTests(ID, {
  valid: [
    { sql: "INSERT INTO daily_rollup (tenant_id, day, event_type, event_count) SELECT tenant_id, created_at::date, event_type, count(*) FROM events WHERE created_at >= '2024-01-01' AND created_at < now() - interval '1 minute' GROUP BY 1, 2, 3 ON CONFLICT (tenant_id, day, event_type) DO UPDATE SET event_count = daily_rollup.event_count + EXCLUDED.event_count", findings: [] },
    // not a merging rollup
    { sql: 'INSERT INTO daily_rollup (tenant_id, day, event_type, event_count) SELECT tenant_id, created_at::date, event_type, count(*) FROM events WHERE created_at < now() GROUP BY 1, 2, 3', findings: [] },
  ],
  invalid: [
    {
      sql: "INSERT INTO daily_rollup (tenant_id, day, event_type, event_count)\nSELECT tenant_id, created_at::date, event_type, count(*) FROM events\nWHERE created_at >= '2024-01-01' AND created_at < now()\nGROUP BY 1, 2, 3 ON CONFLICT (tenant_id, day, event_type) DO UPDATE SET event_count = daily_rollup.event_count + EXCLUDED.event_count",
      findings: [{ id: ID, line: 3, column: 51 }],
      output: "INSERT INTO daily_rollup (tenant_id, day, event_type, event_count)\nSELECT tenant_id, created_at::date, event_type, count(*) FROM events\nWHERE created_at >= '2024-01-01' AND created_at < now() - interval '1 minute'\nGROUP BY 1, 2, 3 ON CONFLICT (tenant_id, day, event_type) DO UPDATE SET event_count = daily_rollup.event_count + EXCLUDED.event_count",
    },
    // BETWEEN .. AND CURRENT_TIMESTAMP, sliding window from now(): reported, no fix
    {
      sql: "INSERT INTO daily_rollup (tenant_id, day, event_type, event_count) SELECT tenant_id, created_at::date, event_type, count(*) FROM events\nWHERE created_at BETWEEN now() - interval '1 hour' AND CURRENT_TIMESTAMP GROUP BY 1, 2, 3 ON CONFLICT (tenant_id, day, event_type) DO UPDATE SET event_count = EXCLUDED.event_count",
      findings: [{ id: ID, line: 2, column: 56 }],
    },
  ],
});
