import { at } from './at';
import { ruleTests } from './harness';

const UPDATE_DIST = 'MERGE INTO tenant_stats t USING (SELECT tenant_id, count(*) AS c FROM events GROUP BY tenant_id) s ON t.tenant_id = s.tenant_id WHEN MATCHED THEN UPDATE SET tenant_id = s.c';

ruleTests('merge-updates-dist-column', {
  valid: [
    { sql: 'MERGE INTO tenant_stats t USING (SELECT tenant_id, count(*) AS c FROM events GROUP BY tenant_id) s ON t.tenant_id = s.tenant_id WHEN MATCHED THEN UPDATE SET event_count = s.c', outcome: 'multi_shard' },
  ],
  invalid: [{ sql: UPDATE_DIST, outcome: 'error', findings: [at(UPDATE_DIST, 's.c')] }],
});
