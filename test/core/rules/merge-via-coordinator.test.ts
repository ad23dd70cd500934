import { at } from './at';
import { ruleTests } from './harness';

const NOT_COLOCATED = 'MERGE INTO tenant_stats t USING (SELECT tenant_id, count(*) AS c FROM orders_nc GROUP BY tenant_id) s ON t.tenant_id = s.tenant_id WHEN MATCHED THEN UPDATE SET event_count = s.c';
const REFERENCE = 'MERGE INTO tenant_stats t USING ref_tenants r ON t.tenant_id = r.tenant_id WHEN MATCHED THEN UPDATE SET event_count = 0 WHEN NOT MATCHED THEN INSERT (tenant_id, event_count) VALUES (r.tenant_id, 0)';
const LIMIT = 'MERGE INTO tenant_stats t USING (SELECT tenant_id, count(*) AS c FROM events GROUP BY tenant_id ORDER BY 2 DESC LIMIT 10) s ON t.tenant_id = s.tenant_id WHEN NOT MATCHED THEN INSERT (tenant_id, event_count) VALUES (s.tenant_id, s.c)';
// a source pinned to one tenant by its own filter but joined to the target on another column: the router planner does
// not take the source (the target is on every shard), and the join is not on the distribution columns (Citus 13.2.2:
// `Sub-query is not pushable, try repartitioning`); with the target pinned too, one task (valid below)
const PINNED_SOURCE = 'MERGE INTO events t USING (SELECT tenant_id, user_id FROM users WHERE tenant_id = 1) s ON t.tenant_id = s.user_id WHEN MATCHED THEN UPDATE SET value = 1';

ruleTests('merge-via-coordinator', {
  valid: [
    { sql: 'MERGE INTO tenant_stats t USING (SELECT tenant_id, count(*) AS c FROM events GROUP BY tenant_id) s ON t.tenant_id = s.tenant_id WHEN MATCHED THEN UPDATE SET event_count = s.c', outcome: 'multi_shard' },
    { sql: 'MERGE INTO tenant_stats t USING users u ON t.tenant_id = u.tenant_id WHEN MATCHED THEN DELETE', outcome: 'multi_shard' },
    { sql: 'MERGE INTO events t USING (SELECT tenant_id, user_id FROM users WHERE tenant_id = 1) s ON t.tenant_id = s.user_id AND t.tenant_id = 1 WHEN MATCHED THEN UPDATE SET value = 1', outcome: 'single_shard' },
    { sql: 'MERGE INTO events t USING (SELECT * FROM users WHERE tenant_id = 5) s ON t.tenant_id = s.tenant_id WHEN MATCHED THEN UPDATE SET value = 1', outcome: 'single_shard' },
  ],
  invalid: [
    { sql: NOT_COLOCATED, outcome: 'coordinator', findings: [at(NOT_COLOCATED, 'orders_nc')] },
    { sql: REFERENCE, outcome: 'coordinator', findings: [at(REFERENCE, 'ref_tenants')] },
    { sql: LIMIT, outcome: 'coordinator', findings: [at(LIMIT, 'LIMIT')] },
    { sql: PINNED_SOURCE, outcome: 'coordinator', findings: [at(PINNED_SOURCE, 'users')] },
  ],
});
