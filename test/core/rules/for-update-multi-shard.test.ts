import { at } from './at';
import { ruleTests } from './harness';

const ALL = 'SELECT * FROM events FOR UPDATE';
const OTHER_COLUMN = "SELECT * FROM events WHERE event_type = 'click' FOR SHARE";
const TWO_TENANTS = 'SELECT * FROM events WHERE tenant_id IN (1, 2) FOR UPDATE';
// a table created under citus.shard_replication_factor = 2: the router planner refuses FOR UPDATE on it (Citus 13.2.2)
const REPLICATED = "SET citus.shard_replication_factor TO 2;\nCREATE TABLE rf2 (id int PRIMARY KEY, v int);\nSELECT create_distributed_table('rf2', 'id');\nSELECT * FROM rf2 WHERE id = 1 FOR UPDATE";
const SUBQUERY_TWO_TENANTS = 'SELECT * FROM (SELECT * FROM events FOR UPDATE) foo WHERE tenant_id IN (1, 2)';

ruleTests('for-update-multi-shard', {
  valid: [
    { sql: 'SELECT * FROM github_events WHERE repo_id = 206084 FOR UPDATE', outcome: 'single_shard' },
    { sql: 'SELECT e.event_id, r.plan FROM events e JOIN ref_tenants r ON r.tenant_id = e.tenant_id WHERE e.tenant_id = 5 FOR UPDATE', outcome: 'single_shard' },
    { sql: 'SELECT * FROM ref_tenants WHERE tenant_id = 5 FOR UPDATE', outcome: 'single_shard' },
    { sql: 'SELECT * FROM local_config WHERE tenant_id = 5 FOR UPDATE', outcome: 'local' },
    { sql: 'SELECT * FROM events WHERE tenant_id = 5 ORDER BY event_id LIMIT 1 FOR UPDATE SKIP LOCKED', outcome: 'single_shard' },
    // PostgreSQL pulls the outer filter into a FOR UPDATE subquery, so the router planner sees tenant_id = 1 (Citus 13.2.2)
    { sql: 'SELECT * FROM (SELECT * FROM events FOR UPDATE) foo WHERE tenant_id = 1', outcome: 'single_shard' },
  ],
  invalid: [
    { sql: ALL, outcome: 'error', findings: [at(ALL, 'FOR UPDATE')] },
    { sql: OTHER_COLUMN, outcome: 'error', findings: [at(OTHER_COLUMN, 'FOR SHARE')] },
    { sql: TWO_TENANTS, outcome: 'error', findings: [at(TWO_TENANTS, 'FOR UPDATE')] },
    { sql: REPLICATED, outcome: 'error', findings: [at(REPLICATED, 'FOR UPDATE')] },
    { sql: SUBQUERY_TWO_TENANTS, outcome: 'error', findings: [at(SUBQUERY_TWO_TENANTS, 'events')] },
  ],
});
