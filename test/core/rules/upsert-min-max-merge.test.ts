import { rollupRuleTests } from '../../rollup/rule-harness';

const ID = 'upsert-min-max-merge';

rollupRuleTests(ID, {
  valid: [
    { sql: "INSERT INTO tenant_stats (tenant_id, last_seen) SELECT tenant_id, max(created_at) FROM events WHERE created_at >= '2024-01-01' GROUP BY tenant_id ON CONFLICT (tenant_id) DO UPDATE SET last_seen = GREATEST(tenant_stats.last_seen, EXCLUDED.last_seen)", findings: [] },
    // full recompute: assignment is fine
    { sql: 'INSERT INTO tenant_stats (tenant_id, last_seen) SELECT tenant_id, max(created_at) FROM events GROUP BY tenant_id ON CONFLICT (tenant_id) DO UPDATE SET last_seen = EXCLUDED.last_seen', findings: [] },
  ],
  invalid: [
    {
      sql: "INSERT INTO tenant_stats (tenant_id, last_seen) SELECT tenant_id, max(created_at) FROM events WHERE created_at >= '2024-01-01' GROUP BY tenant_id\nON CONFLICT (tenant_id) DO UPDATE SET last_seen = EXCLUDED.last_seen",
      findings: [{ id: ID, line: 2, column: 51 }],
      output: "INSERT INTO tenant_stats (tenant_id, last_seen) SELECT tenant_id, max(created_at) FROM events WHERE created_at >= '2024-01-01' GROUP BY tenant_id\nON CONFLICT (tenant_id) DO UPDATE SET last_seen = GREATEST(tenant_stats.last_seen, EXCLUDED.last_seen)",
    },
    // addition is wrong even for a full recompute
    {
      sql: 'INSERT INTO tenant_stats (tenant_id, total_value) SELECT tenant_id, min(value) FROM events GROUP BY tenant_id\nON CONFLICT (tenant_id) DO UPDATE SET total_value = tenant_stats.total_value + EXCLUDED.total_value',
      findings: [{ id: ID, line: 2, column: 53 }],
      output: 'INSERT INTO tenant_stats (tenant_id, total_value) SELECT tenant_id, min(value) FROM events GROUP BY tenant_id\nON CONFLICT (tenant_id) DO UPDATE SET total_value = LEAST(tenant_stats.total_value, EXCLUDED.total_value)',
    },
    // the wrong end
    {
      sql: 'INSERT INTO tenant_stats (tenant_id, last_seen) SELECT tenant_id, max(created_at) FROM events GROUP BY tenant_id ON CONFLICT (tenant_id) DO UPDATE SET last_seen = LEAST(tenant_stats.last_seen, EXCLUDED.last_seen)',
      findings: [{ id: ID, line: 1, column: 164 }],
    },
  ],
});
