import { at } from './at';
import { ruleTests } from './harness';

const VALUES = 'MERGE INTO tenant_stats t USING (VALUES (1, 10), (2, 20)) AS s(tid, c) ON t.tenant_id = s.tid WHEN NOT MATCHED THEN INSERT (tenant_id, event_count) VALUES (s.tid, s.c)';
const NO_DIST_JOIN = "MERGE INTO users u USING (SELECT DISTINCT tenant_id, user_id FROM events) e ON u.user_id = e.user_id WHEN MATCHED THEN UPDATE SET name = 'active'";
// the repartitioned MERGE hashes the source column with the target's hash function: it must be a plain column of the
// distribution column's type (checked on Citus 13.2.2: events_by_user.user_id is bigint, events.user_id integer)
const TYPE_MISMATCH = 'MERGE INTO events_by_user t USING events s ON t.user_id = s.user_id WHEN MATCHED THEN UPDATE SET event_type = s.event_type';
const CAST_SOURCE = 'MERGE INTO events_by_user t USING events s ON t.user_id = s.user_id::bigint WHEN MATCHED THEN UPDATE SET event_type = s.event_type';
const CAST_TARGET = 'MERGE INTO events_by_user t USING events s ON t.user_id::int = s.user_id WHEN MATCHED THEN UPDATE SET event_type = s.event_type';
const LOCAL_SOURCE = 'MERGE INTO tenant_stats t USING local_config l ON t.tenant_id = l.tenant_id WHEN MATCHED THEN UPDATE SET event_count = l.val';
// a local target and a distributed table read only by a WHEN clause's subquery: the router planner refuses the
// distributed table and the repartitioned MERGE needs a distributed target (checked on Citus 13.2.2)
const FOLDED_ONE_DIST = 'MERGE INTO local_config t USING local_archive s ON (t.tenant_id IN (SELECT tenant_id FROM events)) OR TRUE WHEN MATCHED THEN UPDATE SET val = 1';
const LOCAL_TARGET_WHEN_DIST = 'MERGE INTO local_config t USING local_archive s ON t.tenant_id = s.tenant_id WHEN MATCHED THEN UPDATE SET val = (SELECT max(tenant_id) FROM events)';

ruleTests('merge-source-not-colocated', {
  valid: [
    { sql: 'MERGE INTO tenant_stats t USING (SELECT tenant_id, count(*) AS c FROM events GROUP BY tenant_id) s ON t.tenant_id = s.tenant_id WHEN MATCHED THEN UPDATE SET event_count = s.c WHEN NOT MATCHED THEN INSERT (tenant_id, event_count) VALUES (s.tenant_id, s.c)', outcome: 'multi_shard' },
    // a non-colocated source joined on the distribution column is repartitioned (merge-via-coordinator)
    { sql: 'MERGE INTO tenant_stats t USING orders_nc o ON t.tenant_id = o.tenant_id WHEN MATCHED THEN UPDATE SET total_value = o.amount', outcome: 'coordinator' },
    // the same type on both sides, or converted inside the source subquery: repartitioned
    { sql: 'MERGE INTO events_by_user t USING events s ON t.user_id = s.event_id WHEN MATCHED THEN UPDATE SET event_type = s.event_type', outcome: 'coordinator' },
    { sql: 'MERGE INTO events_by_user t USING (SELECT user_id::bigint AS uid, event_type FROM events) s ON t.user_id = s.uid WHEN MATCHED THEN UPDATE SET event_type = s.event_type', outcome: 'coordinator' },
    { sql: 'MERGE INTO local_archive a USING local_config l ON a.tenant_id = l.tenant_id WHEN MATCHED THEN DELETE', outcome: 'local' },
    // a local target with reference tables only (the source, a subquery of ON or of a WHEN clause): one router task
    // on the coordinator, which has every reference table's placement (checked on Citus 13.2.2)
    { sql: "MERGE INTO local_config t USING ref_tenants s ON t.tenant_id = s.tenant_id WHEN MATCHED THEN UPDATE SET setting = s.plan WHEN NOT MATCHED THEN INSERT VALUES (s.tenant_id, s.plan, 1)", outcome: 'single_shard' },
    { sql: 'MERGE INTO local_config t USING (SELECT r.tenant_id, r.plan FROM ref_tenants r JOIN local_archive a ON a.tenant_id = r.tenant_id) s ON t.tenant_id = s.tenant_id WHEN MATCHED THEN UPDATE SET setting = s.plan', outcome: 'single_shard' },
    { sql: 'MERGE INTO local_config t USING local_archive s ON t.tenant_id = s.tenant_id AND t.tenant_id IN (SELECT tenant_id FROM ref_tenants) WHEN MATCHED THEN UPDATE SET val = 1', outcome: 'single_shard' },
    { sql: 'MERGE INTO local_config t USING local_archive s ON t.tenant_id = s.tenant_id WHEN MATCHED THEN UPDATE SET val = (SELECT max(tenant_id) FROM ref_tenants)', outcome: 'single_shard' },
    // ON folded to TRUE (`.. OR TRUE`): plain PostgreSQL when its subqueries held more range table entries than the
    // MERGE's join adds (one); a subquery of one table keeps the MERGE Citus' (checked on Citus 13.2.2)
    { sql: 'MERGE INTO local_config t USING local_archive s ON (t.tenant_id IN (SELECT tenant_id FROM events UNION SELECT tenant_id FROM ref_tenants)) OR TRUE WHEN MATCHED THEN UPDATE SET val = 1', outcome: 'local' },
    { sql: 'MERGE INTO local_config t USING local_archive s ON (t.tenant_id IN (SELECT r.tenant_id FROM ref_tenants r JOIN local_archive a ON a.tenant_id = r.tenant_id)) OR TRUE WHEN MATCHED THEN UPDATE SET val = 1', outcome: 'local' },
    { sql: 'MERGE INTO local_config t USING local_archive s ON (t.tenant_id IN (SELECT tenant_id FROM ref_tenants)) OR TRUE WHEN MATCHED THEN UPDATE SET val = 1', outcome: 'single_shard' },
  ],
  invalid: [
    { sql: TYPE_MISMATCH, outcome: 'error', findings: [at(TYPE_MISMATCH, 's.user_id')] },
    { sql: CAST_SOURCE, outcome: 'error', findings: [at(CAST_SOURCE, 's.user_id::bigint')] },
    { sql: CAST_TARGET, outcome: 'error', findings: [at(CAST_TARGET, 't.user_id::int')] },
    { sql: VALUES, outcome: 'error', findings: [at(VALUES, '(1, 10)', 1, 1)] },
    { sql: NO_DIST_JOIN, outcome: 'error', findings: [at(NO_DIST_JOIN, 'u.user_id')] },
    { sql: LOCAL_SOURCE, outcome: 'error', findings: [at(LOCAL_SOURCE, 'local_config')] },
    { sql: LOCAL_TARGET_WHEN_DIST, outcome: 'error', findings: [at(LOCAL_TARGET_WHEN_DIST, 'local_config')] },
    { sql: FOLDED_ONE_DIST, outcome: 'error', findings: [at(FOLDED_ONE_DIST, 'local_config')] },
  ],
});
