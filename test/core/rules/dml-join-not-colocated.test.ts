import { at } from './at';
import { ruleTests } from './harness';

const FROM_NC = 'UPDATE events e SET value = o.amount FROM orders_nc o WHERE e.tenant_id = o.tenant_id';
const USING_NC = 'DELETE FROM events e USING orders_nc o WHERE e.tenant_id = o.tenant_id AND o.amount > 490';
const IN_NC = 'UPDATE events SET value = 0 WHERE tenant_id IN (SELECT tenant_id FROM orders_nc WHERE amount > 490)';
const NOT_ON_DIST = 'SET citus.enable_repartition_joins = on;\nUPDATE events e SET value = u.user_id FROM users u WHERE e.user_id = u.user_id';
// a subquery in the SET list that needs no merge step is not planned on its own (Citus 13.2.2 refuses both)
const SET_SCALAR = 'UPDATE events SET value = (SELECT user_id FROM users)';
const SET_SCALAR_PINNED = 'UPDATE events SET value = (SELECT user_id FROM users) WHERE tenant_id = 5';
// a join USING whose merged column is not a plain column, in a multi-shard modification (checked on Citus 13.2.2)
const FULL_USING = "UPDATE users u SET name = 'x' FROM events e FULL JOIN daily_rollup d USING (tenant_id) WHERE e.tenant_id = u.tenant_id";
const FULL_USING_NC = 'DELETE FROM users u USING events e FULL JOIN events_by_user b USING (tenant_id) WHERE e.tenant_id = u.tenant_id';
const LEFT_CONVERTED = "CREATE TABLE ua (k int, x int); SELECT create_distributed_table('ua', 'k');\nCREATE TABLE ub (k int, x bigint); SELECT create_distributed_table('ub', 'k', colocate_with => 'ua');\nUPDATE ua SET x = 1 FROM ua a LEFT JOIN ub USING (k, x) WHERE a.k = ua.k";
const REFERENCE_TARGET = "UPDATE ref_tenants r SET plan = 'active' FROM events e WHERE r.tenant_id = e.tenant_id AND e.event_type = 'purchase'";

ruleTests('dml-join-not-colocated', {
  valid: [
    { sql: 'DELETE FROM events e USING users u WHERE e.tenant_id = u.tenant_id AND e.user_id = u.user_id', outcome: 'multi_shard' },
    // a correlated EXISTS over a UNION ALL of colocated tables, joined on the distribution column (checked on Citus
    // 13.2.2: 32 tasks, no subplan; it was reported as refused)
    { sql: 'DELETE FROM tenant_stats t WHERE EXISTS (SELECT 1 FROM (SELECT tenant_id FROM events UNION ALL SELECT tenant_id FROM users) u WHERE u.tenant_id = t.tenant_id)', outcome: 'multi_shard' },
    { sql: 'UPDATE events e SET value = r.tenant_id FROM ref_tenants r WHERE r.tenant_id = e.tenant_id', outcome: 'multi_shard' },
    // the same filter as IN (SELECT ..) on a reference target is planned through the coordinator
    { sql: "UPDATE ref_tenants SET plan = 'active' WHERE tenant_id IN (SELECT tenant_id FROM events WHERE event_type = 'purchase')", outcome: 'coordinator' },
    // a subquery not joined on the distribution column is planned separately
    { sql: "UPDATE events SET value = 0 WHERE user_id IN (SELECT user_id FROM users WHERE name LIKE 'user 1%')", outcome: 'coordinator' },
    // the same subquery in WHERE is planned first (RecursivelyPlanNonColocatedSubqueries), and one in SET that needs a
    // merge step too (checked on Citus 13.2.2: a distributed subplan, then 32 tasks)
    { sql: 'DELETE FROM events WHERE user_id = (SELECT user_id FROM users)', outcome: 'coordinator' },
    { sql: 'UPDATE events SET value = (SELECT max(user_id) FROM users)', outcome: 'coordinator' },
    // a subquery in SET pinned to the target's shard: the router planner takes it (Task Count 1)
    { sql: 'UPDATE events SET value = (SELECT max(user_id) FROM users WHERE tenant_id = 5) WHERE tenant_id = 5', outcome: 'single_shard' },
    // a join USING whose merged column is a plain column (an inner join, a LEFT JOIN of columns of one type), or an aliased one
    { sql: "UPDATE users u SET name = 'x' FROM events e JOIN daily_rollup d USING (tenant_id) WHERE e.tenant_id = u.tenant_id", outcome: 'multi_shard' },
    { sql: "UPDATE users u SET name = 'x' FROM events e LEFT JOIN daily_rollup d USING (tenant_id) WHERE e.tenant_id = u.tenant_id", outcome: 'multi_shard' },
    { sql: "UPDATE users u SET name = 'x' FROM (events e FULL JOIN daily_rollup d ON d.tenant_id = e.tenant_id) WHERE e.tenant_id = u.tenant_id", outcome: 'multi_shard' },
    { sql: "UPDATE users u SET name = 'x' FROM events e JOIN daily_rollup d USING (tenant_id) WHERE e.tenant_id = u.tenant_id AND u.tenant_id = 3", outcome: 'single_shard' },
  ],
  invalid: [
    { sql: FROM_NC, outcome: 'error', findings: [at(FROM_NC, 'orders_nc')] },
    { sql: USING_NC, outcome: 'error', findings: [at(USING_NC, 'orders_nc')] },
    { sql: IN_NC, outcome: 'error', findings: [at(IN_NC, 'orders_nc')] },
    { sql: NOT_ON_DIST, outcome: 'error', findings: [at(NOT_ON_DIST, 'users u')] },
    { sql: REFERENCE_TARGET, outcome: 'error', findings: [at(REFERENCE_TARGET, 'events e')] },
    { sql: SET_SCALAR, outcome: 'error', findings: [at(SET_SCALAR, 'users')] },
    { sql: SET_SCALAR_PINNED, outcome: 'error', findings: [at(SET_SCALAR_PINNED, 'users')] },
    { sql: FULL_USING, outcome: 'error', findings: [at(FULL_USING, 'events e FULL')] },
    { sql: FULL_USING_NC, outcome: 'error', findings: [at(FULL_USING_NC, 'events e FULL')] },
    { sql: LEFT_CONVERTED, outcome: 'error', findings: [at(LEFT_CONVERTED, 'ua a LEFT')] },
  ],
});
