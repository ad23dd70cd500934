import { at } from './at';
import { ruleTests } from './harness';

const NOT_COLOCATED = 'MERGE INTO tenant_stats t USING (SELECT tenant_id, count(*) AS c FROM orders_nc GROUP BY tenant_id) s ON t.tenant_id = s.tenant_id WHEN MATCHED THEN UPDATE SET event_count = s.c';
const REFERENCE = 'MERGE INTO tenant_stats t USING ref_tenants r ON t.tenant_id = r.tenant_id WHEN MATCHED THEN UPDATE SET event_count = 0 WHEN NOT MATCHED THEN INSERT (tenant_id, event_count) VALUES (r.tenant_id, 0)';
const LIMIT = 'MERGE INTO tenant_stats t USING (SELECT tenant_id, count(*) AS c FROM events GROUP BY tenant_id ORDER BY 2 DESC LIMIT 10) s ON t.tenant_id = s.tenant_id WHEN NOT MATCHED THEN INSERT (tenant_id, event_count) VALUES (s.tenant_id, s.c)';

ruleTests('merge-via-coordinator', {
  valid: [
    { sql: 'MERGE INTO tenant_stats t USING (SELECT tenant_id, count(*) AS c FROM events GROUP BY tenant_id) s ON t.tenant_id = s.tenant_id WHEN MATCHED THEN UPDATE SET event_count = s.c', outcome: 'multi_shard' },
    { sql: 'MERGE INTO tenant_stats t USING users u ON t.tenant_id = u.tenant_id WHEN MATCHED THEN DELETE', outcome: 'multi_shard' },
  ],
  invalid: [
    { sql: NOT_COLOCATED, outcome: 'coordinator', findings: [at(NOT_COLOCATED, 'orders_nc')] },
    { sql: REFERENCE, outcome: 'coordinator', findings: [at(REFERENCE, 'ref_tenants')] },
    { sql: LIMIT, outcome: 'coordinator', findings: [at(LIMIT, 'LIMIT')] },
  ],
});
