import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// Functions Citus 13 no longer has (src/core/semantic/citusRemoved.ts); PostgreSQL without Citus has none of them
// either, so every statement here is also run on a real PostgreSQL by test/db/semantic.test.ts. The messages are
// those Citus 13.2.2 printed (probe file removed-citus-functions.sql).
const CREATE = "SELECT master_create_distributed_table('page_views', 'tenant_id', 'hash')";
const SHARDS = "SELECT master_create_worker_shards('page_views', 16, 2)";
const MODIFY = "SELECT master_modify_multiple_shards('DELETE FROM events WHERE tenant_id = 5')";
const QUALIFIED = "SELECT pg_catalog.mark_tables_colocated('events', ARRAY['users'::regclass])";
const IN_QUERY = "SELECT t, upgrade_to_reference_table(t) FROM (VALUES ('event_types'::regclass)) AS v(t)";

export const cases: RuleTable = {
  valid: [
    // what replaced them
    { sql: "SELECT create_distributed_table('page_views', 'tenant_id')", notOnPostgres: 'a Citus function' },
    // a function of that name the workspace defines, or one in another schema, is not Citus'
    { sql: "CREATE FUNCTION master_create_worker_shards(t text, n int, r int) RETURNS int LANGUAGE sql AS 'SELECT n * r';\nSELECT master_create_worker_shards('page_views', 16, 2)" },
    { sql: "SELECT legacy.master_create_distributed_table('page_views', 'tenant_id', 'hash')", notOnPostgres: 'a schema the model does not know' },
  ],
  invalid: [
    { sql: CREATE, outcome: 'error', findings: [at(CREATE, 'master_create_distributed_table')] },
    { sql: SHARDS, outcome: 'error', findings: [at(SHARDS, 'master_create_worker_shards')] },
    { sql: MODIFY, outcome: 'error', findings: [at(MODIFY, 'master_modify_multiple_shards')] },
    { sql: QUALIFIED, outcome: 'error', findings: [at(QUALIFIED, 'pg_catalog')] },
    { sql: IN_QUERY, outcome: 'error', findings: [at(IN_QUERY, 'upgrade_to_reference_table')] },
  ],
};

ruleTests('removed-citus-function', cases);
