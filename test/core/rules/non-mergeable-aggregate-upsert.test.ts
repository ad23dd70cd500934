import { rollupRuleTests } from '../../rollup/rule-harness';

const ID = 'non-mergeable-aggregate-upsert';

rollupRuleTests(ID, {
  valid: [
    // full recompute of an average: correct
    { sql: 'INSERT INTO tenant_stats (tenant_id, total_value) SELECT tenant_id, avg(value) FROM events GROUP BY tenant_id ON CONFLICT (tenant_id) DO UPDATE SET total_value = EXCLUDED.total_value', findings: [] },
    // sums and counts merge
    { sql: "INSERT INTO tenant_stats (tenant_id, event_count, total_value) SELECT tenant_id, count(*), sum(value) FROM events WHERE created_at >= '2024-01-01' GROUP BY tenant_id ON CONFLICT (tenant_id) DO UPDATE SET event_count = tenant_stats.event_count + EXCLUDED.event_count, total_value = tenant_stats.total_value + EXCLUDED.total_value", findings: [] },
  ],
  invalid: [
    {
      sql: 'INSERT INTO tenant_stats (tenant_id, total_value) SELECT tenant_id, avg(value) FROM events GROUP BY tenant_id\nON CONFLICT (tenant_id) DO UPDATE SET total_value = (tenant_stats.total_value + EXCLUDED.total_value) / 2',
      findings: [{ id: ID, line: 2, column: 54 }],
    },
    {
      sql: "INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(DISTINCT user_id) FROM events WHERE created_at >= '2024-01-01' GROUP BY tenant_id\nON CONFLICT (tenant_id) DO UPDATE SET event_count = tenant_stats.event_count + EXCLUDED.event_count",
      findings: [{ id: ID, line: 2, column: 53 }],
    },
    {
      sql: "INSERT INTO tenant_stats (tenant_id, total_value) SELECT tenant_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY value) FROM events WHERE created_at >= '2024-01-01' GROUP BY tenant_id\nON CONFLICT (tenant_id) DO UPDATE SET total_value = EXCLUDED.total_value",
      findings: [{ id: ID, line: 2, column: 53 }],
    },
  ],
});
