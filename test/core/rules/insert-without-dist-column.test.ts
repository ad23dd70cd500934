import { at } from './at';
import { ruleTests } from './harness';

const NO_TENANT = "INSERT INTO events (event_id, user_id, event_type, created_at) VALUES (900002, 1, 'view', now())";
const NO_COLS = "INSERT INTO page_views (page_id, host_ip) VALUES (1, '10.0.0.2')";
const DEFAULT_VALUES = 'INSERT INTO orders_nc DEFAULT VALUES';
// one row's DEFAULT for a column without a default: the rewriter leaves the column out (checked on Citus 13.2.2)
const DEFAULT_ROW = 'INSERT INTO orders_nc (tenant_id, order_id) VALUES (DEFAULT, 1)';

ruleTests('insert-without-dist-column', {
  valid: [
    { sql: "INSERT INTO events (tenant_id, event_id, user_id, event_type, value) VALUES (5, 900001, 11, 'click', 1.5)", outcome: 'single_shard' },
    // a reference table has no distribution column
    { sql: "INSERT INTO ref_tenants (tenant_id, tenant_name, plan) VALUES (1001, 'tenant 1001', 'free')", outcome: 'single_shard' },
    // a local table is plain PostgreSQL
    { sql: "INSERT INTO local_config (setting, val) VALUES ('limit', 7)", outcome: 'local' },
    // the distribution column has a DEFAULT (a sequence): filled on the coordinator
    {
      sql: "CREATE TABLE t_serial (tenant_id bigserial, note text);\nSELECT create_distributed_table('t_serial', 'tenant_id');\nINSERT INTO t_serial (note) VALUES ('a')",
      outcome: 'single_shard',
    },
  ],
  invalid: [
    { sql: NO_TENANT, outcome: 'error', findings: [at(NO_TENANT, 'event_id')] },
    { sql: NO_COLS, outcome: 'error', findings: [at(NO_COLS, 'page_id')] },
    { sql: DEFAULT_VALUES, outcome: 'error', findings: [at(DEFAULT_VALUES, 'orders_nc')] },
    { sql: DEFAULT_ROW, outcome: 'error', findings: [at(DEFAULT_ROW, 'DEFAULT')] },
  ],
});
