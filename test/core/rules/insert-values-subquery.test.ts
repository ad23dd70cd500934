import { at } from './at';
import { ruleTests } from './harness';

const SCALAR = "INSERT INTO events (tenant_id, event_id, event_type) VALUES ((SELECT max(tenant_id) FROM ref_tenants), 900061, 'click')";
const TWO_ROWS = "INSERT INTO ref_tenants (tenant_id, tenant_name) VALUES (1, (SELECT 'a')), (2, 'b')";
const IN_CONFLICT = 'INSERT INTO tenant_stats (tenant_id, event_count) VALUES (5, 1) ON CONFLICT (tenant_id) DO UPDATE SET event_count = (SELECT count(*) FROM event_types)';

ruleTests('insert-values-subquery', {
  valid: [
    { sql: "INSERT INTO events (tenant_id, event_id, event_type) VALUES (5, 900061, 'click')", outcome: 'single_shard' },
    // a local table: plain PostgreSQL runs the subquery
    { sql: 'INSERT INTO local_config (tenant_id, val) VALUES ((SELECT 1), 2)', outcome: 'local' },
    // INSERT .. SELECT is the supported form
    { sql: "INSERT INTO events (tenant_id, event_id, event_type) SELECT max(tenant_id), 900061, 'click' FROM ref_tenants", method: 'pull_to_coordinator' },
  ],
  invalid: [
    {
      sql: SCALAR,
      outcome: 'error',
      findings: [at(SCALAR, '(SELECT max')],
      output: "INSERT INTO events (tenant_id, event_id, event_type) SELECT (SELECT max(tenant_id) FROM ref_tenants), 900061, 'click'",
    },
    {
      sql: TWO_ROWS,
      outcome: 'error',
      findings: [at(TWO_ROWS, "(SELECT 'a')")],
      output: "INSERT INTO ref_tenants (tenant_id, tenant_name) SELECT 1, (SELECT 'a') UNION ALL SELECT 2, 'b'",
    },
    { sql: IN_CONFLICT, outcome: 'error', findings: [at(IN_CONFLICT, '(SELECT count')] },
  ],
});
