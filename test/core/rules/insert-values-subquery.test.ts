import { at } from './at';
import { ruleTests } from './harness';

const SCALAR = "INSERT INTO events (tenant_id, event_id, event_type) VALUES ((SELECT max(tenant_id) FROM ref_tenants), 900061, 'click')";
const TWO_ROWS = "INSERT INTO ref_tenants (tenant_id, tenant_name) VALUES (1, (SELECT 'a')), (2, 'b')";
const IN_CONFLICT = 'INSERT INTO tenant_stats (tenant_id, event_count) VALUES (5, 1) ON CONFLICT (tenant_id) DO UPDATE SET event_count = (SELECT count(*) FROM event_types)';

// a set-returning function in the one VALUES row of a hash-distributed table (checked on Citus 13.2.2)
const SRF_DIST = 'INSERT INTO events (tenant_id, event_id) VALUES (generate_series(1, 3), 1)';
const SRF_IN_DIST = 'INSERT INTO events (tenant_id, event_id) VALUES (generate_series(1, 3) + 1, 1)';
const UNNEST_DIST = 'INSERT INTO events (tenant_id, event_id) VALUES (unnest(ARRAY[4, 5])::int, 1)';
// in another column it fails only when the row's shard is on a worker (a single-node cluster takes it): a warning
const SRF_OTHER = 'INSERT INTO events (tenant_id, event_id) VALUES (3, generate_series(1, 3))';

ruleTests('insert-values-subquery', {
  valid: [
    { sql: "INSERT INTO events (tenant_id, event_id, event_type) VALUES (5, 900061, 'click')", outcome: 'single_shard' },
    // a local table: plain PostgreSQL runs the subquery
    { sql: 'INSERT INTO local_config (tenant_id, val) VALUES ((SELECT 1), 2)', outcome: 'local' },
    // one shard, or plain PostgreSQL: PostgreSQL expands the set
    { sql: "INSERT INTO ref_tenants (tenant_id, tenant_name) VALUES (generate_series(900, 903), 'x')", outcome: 'single_shard' },
    { sql: "INSERT INTO local_config (tenant_id, setting) VALUES (generate_series(1, 3), 'x')", outcome: 'local' },
    { sql: 'INSERT INTO events (tenant_id, event_id) VALUES ((random() * 10)::int, 1)', outcome: 'single_shard' },
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
    { sql: SRF_DIST, outcome: 'error', findings: [at(SRF_DIST, 'generate_series')], output: 'INSERT INTO events (tenant_id, event_id) SELECT generate_series(1, 3), 1' },
    { sql: SRF_IN_DIST, outcome: 'error', findings: [at(SRF_IN_DIST, 'generate_series')] },
    { sql: UNNEST_DIST, outcome: 'error', findings: [at(UNNEST_DIST, 'unnest')] },
    { sql: SRF_OTHER, outcome: 'single_shard', findings: [at(SRF_OTHER, 'generate_series')] },
  ],
});
