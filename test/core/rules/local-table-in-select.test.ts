import { at } from './at';
import { ruleTests } from './harness';

const JOIN_LOCAL = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events e JOIN local_config l USING (tenant_id) GROUP BY e.tenant_id';
const LOCAL_OUTER = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT l.tenant_id, count(e.event_id) FROM local_config l LEFT JOIN events e ON e.tenant_id = l.tenant_id GROUP BY l.tenant_id';
const FROM_LOCAL = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, val FROM local_config';
const FROM_LOCAL_REF = 'INSERT INTO ref_tenants (tenant_id, tenant_name) SELECT tenant_id + 1000, setting FROM local_config';
// a plain PostgreSQL target fed from a distributed table
const LOCAL_TARGET = `INSERT INTO local_config (tenant_id, setting, val)
SELECT tenant_id, 'events', count(*) FROM events GROUP BY tenant_id`;
// a rollup table created but never distributed is a local table
const NOT_DISTRIBUTED = `CREATE TABLE hourly_rollup (tenant_id int PRIMARY KEY, n bigint);
INSERT INTO hourly_rollup SELECT tenant_id, count(*) FROM events GROUP BY tenant_id`;

// citus.local_table_join_policy = never: Citus plans neither side on its own, and refuses the join (Citus 13.2.2)
const NEVER = "SET citus.local_table_join_policy TO 'never';\nSELECT count(*) FROM local_config l JOIN events e USING (tenant_id)";

ruleTests('local-table-in-select', {
  valid: [
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events e JOIN ref_tenants r ON r.tenant_id = e.tenant_id GROUP BY e.tenant_id', method: 'pushdown' },
    // a WHERE PostgreSQL folds to TRUE takes its subqueries' Citus tables with it: plain PostgreSQL
    // (CheckPostPlanDistribution; checked on Citus 13.2.2); `OR NULL` and `OR FALSE` fold to the subquery
    { sql: 'SELECT * FROM local_config WHERE tenant_id IN (SELECT tenant_id FROM events) OR TRUE', outcome: 'local' },
    { sql: "SELECT * FROM local_config WHERE tenant_id IN (SELECT tenant_id FROM ref_tenants) OR 'a' = 'a'", outcome: 'local' },
    { sql: 'SELECT * FROM local_config WHERE EXISTS (SELECT 1 FROM events) OR TRUE ORDER BY tenant_id LIMIT 1', outcome: 'local' },
    { sql: 'SELECT * FROM local_config WHERE tenant_id IN (SELECT tenant_id FROM events) OR NULL', outcome: 'coordinator' },
    { sql: 'SELECT count(*) FROM local_config WHERE tenant_id IN (SELECT tenant_id FROM events) OR TRUE HAVING count(*) > (SELECT count(*) FROM events)', outcome: 'coordinator' },
    // only local tables on both sides: plain PostgreSQL, nothing for Citus to do
    { sql: 'INSERT INTO local_archive SELECT tenant_id, event_id, event_type, created_at FROM local_archive', method: 'not_applicable' },
    // once distributed, the same rollup is pushed down
    {
      sql: `CREATE TABLE hourly_rollup (tenant_id int PRIMARY KEY, n bigint);
SELECT create_distributed_table('hourly_rollup', 'tenant_id', colocate_with => 'events');
INSERT INTO hourly_rollup SELECT tenant_id, count(*) FROM events GROUP BY tenant_id`,
      method: 'pushdown',
    },
  ],
  invalid: [
    { sql: NEVER, outcome: 'error', findings: [at(NEVER, 'local_config l')] },
    { sql: JOIN_LOCAL, method: 'repartition', findings: [at(JOIN_LOCAL, 'local_config')] },
    { sql: LOCAL_OUTER, method: 'pull_to_coordinator', findings: [at(LOCAL_OUTER, 'local_config')] },
    { sql: FROM_LOCAL, method: 'pull_to_coordinator', findings: [at(FROM_LOCAL, 'local_config')] },
    { sql: FROM_LOCAL_REF, method: 'pull_to_coordinator', findings: [at(FROM_LOCAL_REF, 'local_config')] },
    { sql: LOCAL_TARGET, method: 'pull_to_coordinator', findings: [at(LOCAL_TARGET, 'local_config')] },
    { sql: NOT_DISTRIBUTED, method: 'pull_to_coordinator', findings: [at(NOT_DISTRIBUTED, 'hourly_rollup', 2)] },
  ],
});
