import { at } from './at';
import { ruleTests } from './harness';

const COUNT = 'MERGE INTO tenant_stats t USING (SELECT tenant_id, count(*) AS c FROM events GROUP BY tenant_id) s ON t.tenant_id = s.tenant_id WHEN NOT MATCHED THEN INSERT (tenant_id, event_count) VALUES (s.c, s.c)';
const CONSTANT = 'MERGE INTO tenant_stats t USING orders_nc o ON t.tenant_id = o.tenant_id WHEN NOT MATCHED THEN INSERT (tenant_id, total_value) VALUES (5, o.amount)';

ruleTests('merge-insert-without-join-column', {
  valid: [
    { sql: 'MERGE INTO tenant_stats t USING ref_tenants r ON t.tenant_id = r.tenant_id WHEN MATCHED THEN UPDATE SET event_count = 0 WHEN NOT MATCHED THEN INSERT (tenant_id, event_count) VALUES (r.tenant_id, 0)', outcome: 'coordinator' },
    { sql: 'MERGE INTO tenant_stats t USING (SELECT tenant_id, count(*) AS c FROM events WHERE tenant_id = 5 GROUP BY tenant_id) s ON t.tenant_id = s.tenant_id AND t.tenant_id = 5 WHEN NOT MATCHED THEN INSERT (tenant_id, event_count) VALUES (s.tenant_id, s.c)', outcome: 'single_shard' },
  ],
  invalid: [
    { sql: COUNT, outcome: 'error', findings: [at(COUNT, 's.c, s.c')] },
    { sql: CONSTANT, outcome: 'error', findings: [at(CONSTANT, '5, o.amount')] },
  ],
});
