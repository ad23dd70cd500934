import { rollupRuleTests } from '../../rollup/rule-harness';

const ID = 'upsert-overwrites-aggregate';

rollupRuleTests(ID, {
  valid: [
    // full recompute (no window): overwriting is right
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id ON CONFLICT (tenant_id) DO UPDATE SET event_count = EXCLUDED.event_count', findings: [] },
    // a filter on a value is not a window
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events WHERE value > 0 GROUP BY tenant_id ON CONFLICT (tenant_id) DO UPDATE SET event_count = EXCLUDED.event_count', findings: [] },
    // incremental and merged
    { sql: "INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events WHERE created_at >= '2024-01-01' GROUP BY tenant_id ON CONFLICT (tenant_id) DO UPDATE SET event_count = tenant_stats.event_count + EXCLUDED.event_count", findings: [] },
    // last_seen is a max(), not this rule's business
    { sql: "INSERT INTO tenant_stats (tenant_id, last_seen) SELECT tenant_id, max(created_at) FROM events WHERE created_at >= '2024-01-01' GROUP BY tenant_id ON CONFLICT (tenant_id) DO UPDATE SET last_seen = EXCLUDED.last_seen", findings: [] },
  ],
  invalid: [
    {
      sql: "INSERT INTO daily_rollup (tenant_id, day, event_type, event_count, total_value)\nSELECT tenant_id, created_at::date, event_type, count(*), sum(value) FROM events\nWHERE created_at >= '2024-01-01' AND created_at < '2024-01-02'\nGROUP BY 1, 2, 3\nON CONFLICT (tenant_id, day, event_type) DO UPDATE SET event_count = EXCLUDED.event_count, total_value = excluded.total_value",
      findings: [
        { id: ID, line: 5, column: 70 },
        { id: ID, line: 5, column: 106 },
      ],
      output:
        "INSERT INTO daily_rollup (tenant_id, day, event_type, event_count, total_value)\nSELECT tenant_id, created_at::date, event_type, count(*), sum(value) FROM events\nWHERE created_at >= '2024-01-01' AND created_at < '2024-01-02'\nGROUP BY 1, 2, 3\nON CONFLICT (tenant_id, day, event_type) DO UPDATE SET event_count = daily_rollup.event_count + EXCLUDED.event_count, total_value = excluded.total_value",
    },
    // inside a rollup function, with PL/pgSQL variables as the window, and an alias for the target
    {
      sql: "CREATE FUNCTION roll(s timestamptz, e timestamptz) RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  INSERT INTO tenant_stats AS t (tenant_id, total_value) SELECT tenant_id, sum(value) FROM events WHERE created_at BETWEEN s AND e GROUP BY tenant_id\n  ON CONFLICT (tenant_id) DO UPDATE SET total_value = EXCLUDED.total_value;\nEND $$;",
      findings: [{ id: ID, line: 4, column: 55 }],
      output:
        "CREATE FUNCTION roll(s timestamptz, e timestamptz) RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  INSERT INTO tenant_stats AS t (tenant_id, total_value) SELECT tenant_id, sum(value) FROM events WHERE created_at BETWEEN s AND e GROUP BY tenant_id\n  ON CONFLICT (tenant_id) DO UPDATE SET total_value = COALESCE(t.total_value + EXCLUDED.total_value, t.total_value, EXCLUDED.total_value);\nEND $$;",
    },
  ],
});
