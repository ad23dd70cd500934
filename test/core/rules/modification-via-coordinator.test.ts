import { at } from './at';
import { ruleTests } from './harness';

const GROUPED = 'UPDATE events e SET value = s.cnt FROM (SELECT user_id, count(*) AS cnt FROM users GROUP BY user_id) s WHERE e.user_id = s.user_id';
const LOCAL_IN = 'UPDATE events SET value = 0 WHERE tenant_id IN (SELECT tenant_id FROM local_config WHERE val > 900)';
const SCALAR = 'UPDATE events SET value = (SELECT max(amount) FROM orders_nc) WHERE tenant_id = 5';
const LOCAL_USING = 'DELETE FROM events e USING local_config lc WHERE e.tenant_id = lc.tenant_id AND lc.val > 900';
// a data-modifying CTE with a CTE of its own (checked on Citus 13.2.2: two subplans, then the UPDATE)
const NESTED_DML_CTE = 'WITH d AS (WITH c AS (SELECT user_id FROM users WHERE user_id > 2) DELETE FROM users USING c WHERE users.user_id = c.user_id RETURNING users.tenant_id) UPDATE events SET value = 1 FROM d WHERE d.tenant_id = events.tenant_id';
const INTERSECT = 'UPDATE events SET value = 4 WHERE tenant_id IN (SELECT tenant_id FROM events INTERSECT SELECT tenant_id FROM users)';
const OTHER_COLUMN = 'UPDATE events SET value = 4 WHERE tenant_id IN (SELECT tenant_id FROM events UNION SELECT user_id FROM users)';
const NOT_DIST_IN = 'UPDATE events SET value = 4 WHERE user_id IN (SELECT tenant_id FROM events UNION SELECT tenant_id FROM users)';
const REFERENCE_BRANCH = 'DELETE FROM events WHERE tenant_id IN (SELECT tenant_id FROM events UNION SELECT tenant_id FROM ref_tenants)';
const VOLATILE_CTE = 'WITH c AS MATERIALIZED (SELECT tenant_id, random() AS r FROM users WHERE tenant_id = 5) UPDATE events SET value = 1 FROM c WHERE events.tenant_id = 5 AND c.tenant_id = events.tenant_id';
const SINGLE_SHARD_AND_LOCAL = "CREATE TABLE ss_t (a int, b int); SELECT create_distributed_table('ss_t', null); CREATE TABLE cl_t (b int); SELECT citus_add_local_table_to_metadata('cl_t');";
const SINGLE_SHARD_UPDATE = 'UPDATE ss_t SET a = 5 FROM cl_t WHERE ss_t.b = cl_t.b';
const REF_LOCAL_FROM = "UPDATE ref_tenants SET plan = 'x' FROM local_config l WHERE ref_tenants.tenant_id = l.tenant_id";
const REF_LOCAL_CORRELATED = "UPDATE ref_tenants SET plan = 'x' WHERE EXISTS (SELECT 1 FROM local_config l WHERE l.tenant_id = ref_tenants.tenant_id)";
const REF_LOCAL_SUBQUERY = "UPDATE ref_tenants SET plan = 'x' FROM (SELECT * FROM local_config) l WHERE ref_tenants.tenant_id = l.tenant_id";
const REF_LOCAL_IN = "UPDATE ref_tenants SET plan = 'x' WHERE tenant_id IN (SELECT tenant_id FROM local_config)";
const REF_LOCAL_CTE = "WITH l AS (SELECT * FROM local_config) UPDATE ref_tenants SET plan = 'x' FROM l WHERE ref_tenants.tenant_id = l.tenant_id";
const REF_LOCAL_EXISTS = "UPDATE ref_tenants SET plan = 'x' WHERE EXISTS (SELECT 1 FROM local_config)";
const REF_LOCAL_SCALAR = "UPDATE ref_tenants SET plan = (SELECT max(setting) FROM local_config)";
const REF_AGGREGATE = "UPDATE ref_tenants SET plan = 'x' FROM (SELECT avg(tenant_id)::int AS a FROM events) f WHERE f.a = ref_tenants.tenant_id";
const VIEW_SCHEMA = "CREATE TABLE large (id int, tenant_id int); CREATE TABLE small (id int, tenant_id int, unique (tenant_id)); SELECT create_distributed_table('large', 'tenant_id'); SELECT create_distributed_table('small', 'tenant_id'); CREATE VIEW small_view AS SELECT * FROM small WHERE id < 100;";
const VIEW_OTHER_SHARD = 'UPDATE large SET id = 29 FROM small_view WHERE small_view.id = large.id AND small_view.tenant_id = 14 AND large.tenant_id = 15';
const LOCAL_TARGET = 'DELETE FROM local_config lc USING events e WHERE lc.tenant_id = e.tenant_id AND e.event_id = 42';
// a subquery that needs a merge step inside the statement's subqueries (checked on Citus 13.2.2: a distributed subplan
// for the inner subquery, then 32 tasks)
// a UNION in FROM goes down with the modification only when its branches line up on colocated distribution columns
// (checked on Citus 13.2.2: each of these has distributed subplans, then 32 tasks)
const UNION_OTHER_COLUMN = 'DELETE FROM tenant_stats t USING (SELECT user_id AS tenant_id FROM events UNION ALL SELECT tenant_id FROM users) u WHERE t.tenant_id = u.tenant_id';
const UNION_NOT_COLOCATED = 'DELETE FROM tenant_stats t USING (SELECT tenant_id FROM events UNION ALL SELECT tenant_id FROM events_by_user) u WHERE t.tenant_id = u.tenant_id';
const UNION_REFERENCE = 'DELETE FROM tenant_stats t USING (SELECT tenant_id FROM events UNION ALL SELECT tenant_id FROM ref_tenants) u WHERE t.tenant_id = u.tenant_id';
const UNION_OTHER_JOIN = 'DELETE FROM tenant_stats t USING (SELECT tenant_id FROM events UNION ALL SELECT tenant_id FROM users) u WHERE t.event_count = u.tenant_id';
const EXCEPT_FROM = 'DELETE FROM tenant_stats t USING (SELECT tenant_id FROM events EXCEPT SELECT tenant_id FROM users) u WHERE t.tenant_id = u.tenant_id';
const UNION_POSITIONS = 'UPDATE tenant_stats t SET event_count = 1 FROM (SELECT 1 AS k, tenant_id FROM events UNION ALL SELECT tenant_id, 2 FROM users) u WHERE t.tenant_id = u.tenant_id';
const UNION_LIMIT = 'DELETE FROM tenant_stats t USING (SELECT tenant_id FROM events UNION ALL (SELECT tenant_id FROM users LIMIT 5)) u WHERE t.tenant_id = u.tenant_id';
// a single-shard or reference target with a CTE that calls a VOLATILE function (a SQL function without a volatility is
// VOLATILE): the router planner runs the CTE first (checked on Citus 13.2.2: a subplan for the CTE, then one task)
const ONE_SHARD_SCHEMA = "CREATE TABLE ss (id int, value int); SELECT create_distributed_table('ss', null); CREATE FUNCTION func() RETURNS TABLE (id int, value int) AS $$ SELECT 1, 2 $$ LANGUAGE SQL;";
const SS_VOLATILE_CTE = 'WITH c AS MATERIALIZED (SELECT id, value FROM func()) UPDATE ss SET value = c.value FROM c WHERE ss.id = 1';
const SS_VOLATILE_CTE_DELETE = 'WITH c AS (SELECT id FROM func()) DELETE FROM ss USING c WHERE ss.id = c.id';
const REF_VOLATILE_CTE = "WITH c AS MATERIALIZED (SELECT 1 AS tenant_id, random()::text AS plan) UPDATE ref_tenants SET plan = c.plan FROM c WHERE ref_tenants.tenant_id = c.tenant_id";
const NESTED_LIMIT_IN = 'UPDATE events SET value = 1 WHERE tenant_id IN (SELECT tenant_id FROM (SELECT tenant_id FROM users LIMIT 10) s)';
const NESTED_LIMIT_CTE = 'WITH c AS (SELECT tenant_id FROM (SELECT tenant_id FROM users ORDER BY user_id LIMIT 5) s) DELETE FROM events USING c WHERE c.tenant_id = events.tenant_id';
const NESTED_DISTINCT_ON = 'DELETE FROM events WHERE tenant_id IN (SELECT tenant_id FROM (SELECT DISTINCT ON (user_id) tenant_id, user_id FROM users ORDER BY user_id) s)';
// `<reference> LEFT/FULL JOIN <distributed>` in a subquery: the distributed side is planned first
// DISTINCT on a cast that converts the distribution column is no DISTINCT on it for Citus (Task Count 32 after a
// distributed subplan); a cast to the column's own type is dropped by PostgreSQL and pushes down (valid above)
const DISTINCT_CAST = 'UPDATE events SET value = 1 WHERE tenant_id IN (SELECT DISTINCT tenant_id::bigint FROM users)';
// reference tables only: LIMIT and an aggregate without GROUP BY still need a merge step (a distributed subplan);
// GROUP BY and DISTINCT do not (valid above)
const REF_LIMIT = 'DELETE FROM events WHERE tenant_id IN (SELECT tenant_id FROM ref_tenants LIMIT 2)';
const REF_COUNT = 'UPDATE events SET value = (SELECT count(*) FROM ref_tenants)';
const REF_LEFT_DIST = 'UPDATE events SET value = 1 WHERE tenant_id IN (SELECT r.tenant_id FROM ref_tenants r LEFT JOIN users u USING (tenant_id))';
const REF_FULL_DIST = 'DELETE FROM events WHERE tenant_id IN (SELECT r.tenant_id FROM ref_tenants r FULL JOIN users u USING (tenant_id))';
const REF_LEFT_DIST_DISTINCT = 'UPDATE events SET value = 1 WHERE tenant_id IN (SELECT DISTINCT u.tenant_id FROM ref_tenants r LEFT JOIN users u ON u.tenant_id = r.tenant_id)';

// PostgreSQL folds a WHERE of `.. OR TRUE` to no WHERE at all, with its subqueries: Citus sees the local table's
// statement without them (CheckPostPlanDistribution; checked on Citus 13.2.2)
const FOLDED_REF_IN_SET = 'UPDATE local_config SET val = (SELECT max(tenant_id) FROM ref_tenants) WHERE tenant_id IN (SELECT tenant_id FROM events) OR TRUE';
const FOLDED_NOT = 'DELETE FROM local_config WHERE val > (SELECT max(tenant_id) FROM ref_tenants) OR 1 = 2';
// a local target's RETURNING list reads Citus tables too (checked on Citus 13.2.2)
const RETURNING_DIST = 'UPDATE local_config SET val = 2 RETURNING (SELECT count(*) FROM events)';
const RETURNING_REF = 'UPDATE local_config SET val = 2 RETURNING (SELECT count(*) FROM ref_tenants)';

// `ref LEFT JOIN dist` in the UPDATE's FROM, the distributed side not joined to the target on the distribution columns:
// planned first, not refused; through the reference table's column in the kept ON neither (Citus 13.2.2)
const OUTER_NOT_JOINED = 'UPDATE events e SET value = 1 FROM ref_tenants r LEFT JOIN users u ON u.user_id = r.tenant_id WHERE r.tenant_id = e.tenant_id';
const OUTER_THROUGH_REF = 'UPDATE events e SET value = 1 FROM ref_tenants r LEFT JOIN users u ON u.tenant_id = r.tenant_id WHERE r.tenant_id = e.tenant_id';

ruleTests('modification-via-coordinator', {
  valid: [
    // a strict WHERE on the nullable side makes the join inner: one equivalence class, the statement goes down (Citus 13.2.2)
    { sql: "DELETE FROM events e USING ref_tenants r LEFT JOIN users u ON u.tenant_id = r.tenant_id WHERE r.tenant_id = e.tenant_id AND u.name = 'x'", outcome: 'multi_shard' },
    { sql: 'UPDATE local_config SET val = 1 WHERE tenant_id IN (SELECT tenant_id FROM events) OR TRUE', outcome: 'local' },
    { sql: 'DELETE FROM local_config WHERE TRUE OR val > (SELECT max(tenant_id) FROM ref_tenants)', outcome: 'local' },
    { sql: 'DELETE FROM local_config WHERE NOT (1 = 2) OR EXISTS (SELECT 1 FROM events WHERE events.tenant_id = local_config.tenant_id)', outcome: 'local' },
    // a Citus target stays in the plan
    { sql: 'UPDATE events SET value = 1 WHERE tenant_id IN (SELECT tenant_id FROM ref_tenants) OR TRUE', outcome: 'multi_shard' },
    // a UNION [ALL] in FROM whose branches return colocated distribution columns at one position, joined on it: it goes
    // down with the modification (checked on Citus 13.2.2: no subplan, 32 tasks; one with the target pinned; a
    // constant inside the branches prunes nothing)
    { sql: 'DELETE FROM tenant_stats t USING (SELECT tenant_id FROM events UNION ALL SELECT tenant_id FROM users) u WHERE t.tenant_id = u.tenant_id', outcome: 'multi_shard' },
    { sql: 'DELETE FROM tenant_stats t USING (SELECT tenant_id FROM events UNION SELECT tenant_id FROM users) u WHERE t.tenant_id = u.tenant_id', outcome: 'multi_shard' },
    { sql: 'UPDATE tenant_stats t SET event_count = 1 FROM (SELECT tenant_id, 1 AS k FROM events UNION ALL SELECT tenant_id, 2 FROM users) u WHERE t.tenant_id = u.tenant_id AND u.k = 1', outcome: 'multi_shard' },
    { sql: 'UPDATE tenant_stats t SET event_count = u.n FROM (SELECT tenant_id, count(*) AS n FROM (SELECT tenant_id FROM events UNION ALL SELECT tenant_id FROM users) x GROUP BY tenant_id) u WHERE t.tenant_id = u.tenant_id', outcome: 'multi_shard' },
    { sql: 'DELETE FROM tenant_stats t USING (SELECT tenant_id FROM events UNION ALL SELECT tenant_id FROM users) u WHERE t.tenant_id = u.tenant_id AND t.tenant_id = 5', outcome: 'single_shard' },
    { sql: 'DELETE FROM tenant_stats t USING (SELECT tenant_id FROM events WHERE tenant_id = 5 UNION ALL SELECT tenant_id FROM users WHERE tenant_id = 5) u WHERE t.tenant_id = u.tenant_id', outcome: 'multi_shard' },
    // correlated and joined on the distribution column: pushed down with the UPDATE
    { sql: 'UPDATE events e SET value = (SELECT count(*) FROM users u WHERE u.tenant_id = e.tenant_id AND u.user_id = e.user_id)', outcome: 'multi_shard' },
    { sql: 'UPDATE local_config SET val = 0 WHERE tenant_id = 5', outcome: 'local' },
    { sql: 'DELETE FROM events WHERE tenant_id IN (SELECT tenant_id FROM users WHERE user_id = 3)', outcome: 'multi_shard' },
    // the router planner first: every distributed relation pinned to one shard of one shard group, whatever the
    // subquery's shape (checked on Citus 13.2.2: Task Count 1)
    { sql: 'WITH c AS MATERIALIZED (SELECT user_id FROM users WHERE tenant_id = 5) UPDATE events SET value = 1 FROM c WHERE events.tenant_id = 5 AND events.user_id = c.user_id', outcome: 'single_shard' },
    { sql: 'UPDATE events e SET value = s.c FROM (SELECT user_id, count(*) OVER () AS c FROM users WHERE tenant_id = 5) s WHERE e.tenant_id = 5 AND e.user_id = s.user_id', outcome: 'single_shard' },
    // a table of one shard (Citus' multi_function_evaluation.sql)
    {
      schema: "CREATE TABLE example (key int, value int); SELECT create_distributed_table('example', 'key', shard_count := 1);",
      sql: 'UPDATE example SET value = 2 FROM (SELECT key, count(*) OVER () AS y FROM example GROUP BY key) a WHERE example.key = a.key',
      outcome: 'single_shard',
    },
    // a UNION of colocated tables' distribution columns goes down with the modification (Task Count 32)
    { sql: 'UPDATE events SET value = 4 WHERE tenant_id IN (SELECT tenant_id FROM events UNION SELECT tenant_id FROM users)', outcome: 'multi_shard' },
    { sql: 'DELETE FROM events WHERE tenant_id IN (SELECT tenant_id FROM events UNION ALL SELECT tenant_id FROM users)', outcome: 'multi_shard' },
    { sql: 'WITH c AS (SELECT now() AS r) UPDATE events SET value = 1 FROM c WHERE events.tenant_id = 5', outcome: 'single_shard' },
    // a simple view is pulled up: a constant on its column pins its table (Citus' multi_view.sql; Task Count 1)
    { schema: VIEW_SCHEMA, sql: 'UPDATE large SET id = 28 FROM small_view WHERE small_view.id = large.id AND small_view.tenant_id = 14 AND large.tenant_id = 14', outcome: 'single_shard' },
    { schema: VIEW_SCHEMA, sql: 'UPDATE large SET id = 30 FROM small_view WHERE small_view.tenant_id = large.tenant_id AND large.tenant_id = 14', outcome: 'single_shard' },
    // a correlated subquery gets the target's value as a parameter, not the constant: every shard (Task Count 32)
    { sql: 'UPDATE events SET value = (SELECT max(x.value) FROM events x WHERE x.tenant_id = events.tenant_id) WHERE tenant_id = 5', outcome: 'multi_shard' },
    // a correlated subquery with LIMIT is never planned on its own: it goes down with the modification (Task Count 32)
    { sql: 'UPDATE events SET value = 1 WHERE EXISTS (SELECT 1 FROM (SELECT * FROM users u WHERE u.tenant_id = events.tenant_id LIMIT 1) s)', outcome: 'multi_shard' },
    // `<distributed> LEFT JOIN <reference>` pushes down; so does a reference LEFT JOIN whose nullable side PostgreSQL
    // reduces to an inner join (read by the IN, or by the subquery's WHERE)
    { sql: 'DELETE FROM events WHERE tenant_id IN (SELECT u.tenant_id FROM users u LEFT JOIN ref_tenants r USING (tenant_id))', outcome: 'multi_shard' },
    { sql: 'UPDATE events SET value = 1 WHERE tenant_id IN (SELECT DISTINCT tenant_id::int FROM users)', outcome: 'multi_shard' },
    { sql: 'DELETE FROM events WHERE tenant_id IN (SELECT tenant_id FROM ref_tenants GROUP BY tenant_id)', outcome: 'multi_shard' },
    { sql: 'DELETE FROM events WHERE tenant_id IN (SELECT DISTINCT tenant_id FROM ref_tenants)', outcome: 'multi_shard' },
    // pinned: the router planner takes the whole statement (Task Count 1)
    { sql: 'UPDATE events SET value = (SELECT count(*) FROM ref_tenants) WHERE tenant_id = 5', outcome: 'single_shard' },
    { sql: 'DELETE FROM events WHERE tenant_id IN (SELECT u.tenant_id FROM ref_tenants r LEFT JOIN users u USING (tenant_id))', outcome: 'multi_shard' },
    { sql: 'UPDATE events SET value = 1 WHERE tenant_id IN (SELECT r.tenant_id FROM ref_tenants r LEFT JOIN users u USING (tenant_id) WHERE u.user_id > 3)', outcome: 'multi_shard' },
  ],
  invalid: [
    { sql: OUTER_NOT_JOINED, outcome: 'coordinator', findings: [at(OUTER_NOT_JOINED, 'users')] },
    { sql: OUTER_THROUGH_REF, outcome: 'coordinator', findings: [at(OUTER_THROUGH_REF, 'users')] },
    { sql: FOLDED_REF_IN_SET, outcome: 'error', findings: [at(FOLDED_REF_IN_SET, 'ref_tenants')] },
    // `OR 1 = 2` folds to the subquery, which stays
    { sql: FOLDED_NOT, outcome: 'error', findings: [at(FOLDED_NOT, 'ref_tenants')] },
    { sql: RETURNING_DIST, outcome: 'coordinator', findings: [at(RETURNING_DIST, 'events')] },
    { sql: RETURNING_REF, outcome: 'error', findings: [at(RETURNING_REF, 'ref_tenants')] },
    { sql: GROUPED, outcome: 'coordinator', findings: [at(GROUPED, 'users')] },
    { schema: ONE_SHARD_SCHEMA, sql: SS_VOLATILE_CTE, outcome: 'coordinator', findings: [at(SS_VOLATILE_CTE, 'func()')] },
    { schema: ONE_SHARD_SCHEMA, sql: SS_VOLATILE_CTE_DELETE, outcome: 'coordinator', findings: [at(SS_VOLATILE_CTE_DELETE, 'func()')] },
    { sql: REF_VOLATILE_CTE, outcome: 'coordinator', findings: [at(REF_VOLATILE_CTE, 'random()')] },
    { sql: UNION_OTHER_COLUMN, outcome: 'coordinator', findings: [at(UNION_OTHER_COLUMN, 'events UNION')] },
    { sql: UNION_NOT_COLOCATED, outcome: 'coordinator', findings: [at(UNION_NOT_COLOCATED, 'events UNION')] },
    { sql: UNION_REFERENCE, outcome: 'coordinator', findings: [at(UNION_REFERENCE, 'events UNION')] },
    { sql: UNION_OTHER_JOIN, outcome: 'coordinator', findings: [at(UNION_OTHER_JOIN, 'events UNION')] },
    { sql: EXCEPT_FROM, outcome: 'coordinator', findings: [at(EXCEPT_FROM, 'events EXCEPT')] },
    { sql: UNION_POSITIONS, outcome: 'coordinator', findings: [at(UNION_POSITIONS, 'events UNION')] },
    { sql: UNION_LIMIT, outcome: 'coordinator', findings: [at(UNION_LIMIT, 'events UNION')] },
    { sql: LOCAL_IN, outcome: 'coordinator', findings: [at(LOCAL_IN, 'local_config')] },
    { sql: SCALAR, outcome: 'coordinator', findings: [at(SCALAR, 'orders_nc')] },
    { sql: LOCAL_USING, outcome: 'coordinator', findings: [at(LOCAL_USING, 'local_config')] },
    { sql: LOCAL_TARGET, outcome: 'coordinator', findings: [at(LOCAL_TARGET, 'events e')] },
    // a CTE calling a VOLATILE function is run first, even for a one-shard modification (Citus 13.2.2: a
    // distributed subplan, then one task); now() is STABLE and stays with the router plan (valid above)
    { sql: VOLATILE_CTE, outcome: 'coordinator', findings: [at(VOLATILE_CTE, 'random()')] },
    // a single-shard table joined with a citus-local table: the citus-local table is read first
    { schema: SINGLE_SHARD_AND_LOCAL, sql: SINGLE_SHARD_UPDATE, outcome: 'coordinator', findings: [at(SINGLE_SHARD_UPDATE, 'cl_t')] },
    // a reference-table target (each checked on Citus 13.2.2): a local table in FROM or in a sublink is refused; in a
    // FROM subquery, a CTE or an uncorrelated IN of the WHERE clause it is read first; so is a distributed table in a
    // FROM subquery that needs a merge step (one Citus would push down is refused: dml-join-not-colocated)
    { sql: REF_LOCAL_FROM, outcome: 'error', findings: [at(REF_LOCAL_FROM, 'local_config')] },
    { sql: REF_LOCAL_CORRELATED, outcome: 'error', findings: [at(REF_LOCAL_CORRELATED, 'local_config')] },
    { sql: REF_LOCAL_SUBQUERY, outcome: 'coordinator', findings: [at(REF_LOCAL_SUBQUERY, 'local_config')] },
    { sql: REF_LOCAL_IN, outcome: 'coordinator', findings: [at(REF_LOCAL_IN, 'local_config')] },
    { sql: REF_LOCAL_CTE, outcome: 'coordinator', findings: [at(REF_LOCAL_CTE, 'local_config')] },
    { sql: REF_AGGREGATE, outcome: 'coordinator', findings: [at(REF_AGGREGATE, 'events')] },
    { sql: REF_LOCAL_EXISTS, outcome: 'error', findings: [at(REF_LOCAL_EXISTS, 'local_config')] },
    { sql: REF_LOCAL_SCALAR, outcome: 'error', findings: [at(REF_LOCAL_SCALAR, 'local_config')] },
    // pinned to two different shards, or not pinned: the view is planned first (a distributed subplan)
    { schema: VIEW_SCHEMA, sql: VIEW_OTHER_SHARD, outcome: 'coordinator', findings: [at(VIEW_OTHER_SHARD, 'small_view')] },
    // not a UNION of the distribution columns, or not compared with the target's: planned first (Citus 13.2.2:
    // distributed subplans)
    { sql: INTERSECT, outcome: 'coordinator', findings: [at(INTERSECT, 'events', 2)] },
    { sql: OTHER_COLUMN, outcome: 'coordinator', findings: [at(OTHER_COLUMN, 'events', 2)] },
    { sql: NOT_DIST_IN, outcome: 'coordinator', findings: [at(NOT_DIST_IN, 'events', 2)] },
    { sql: REFERENCE_BRANCH, outcome: 'coordinator', findings: [at(REFERENCE_BRANCH, 'events', 2)] },
    // the inner CTE is the DELETE's own, not an unknown table
    { sql: NESTED_DML_CTE, outcome: 'coordinator', findings: [at(NESTED_DML_CTE, 'WITH d')] },
    { sql: NESTED_LIMIT_IN, outcome: 'coordinator', findings: [at(NESTED_LIMIT_IN, 'users')] },
    { sql: NESTED_LIMIT_CTE, outcome: 'coordinator', findings: [at(NESTED_LIMIT_CTE, 'users')] },
    { sql: NESTED_DISTINCT_ON, outcome: 'coordinator', findings: [at(NESTED_DISTINCT_ON, 'users')] },
    { sql: DISTINCT_CAST, outcome: 'coordinator', findings: [at(DISTINCT_CAST, 'users')] },
    { sql: REF_LIMIT, outcome: 'coordinator', findings: [at(REF_LIMIT, 'ref_tenants')] },
    { sql: REF_COUNT, outcome: 'coordinator', findings: [at(REF_COUNT, 'ref_tenants')] },
    { sql: REF_LEFT_DIST, outcome: 'coordinator', findings: [at(REF_LEFT_DIST, 'users u')] },
    { sql: REF_FULL_DIST, outcome: 'coordinator', findings: [at(REF_FULL_DIST, 'users u')] },
    { sql: REF_LEFT_DIST_DISTINCT, outcome: 'coordinator', findings: [at(REF_LEFT_DIST_DISTINCT, 'users u')] },
  ],
});
