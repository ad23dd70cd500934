import { at } from './at';
import { ruleTests } from './harness';

const REF = "MERGE INTO ref_tenants r USING (SELECT DISTINCT tenant_id FROM events) e ON r.tenant_id = e.tenant_id WHEN MATCHED THEN UPDATE SET plan = 'active'";
const REF2 = "MERGE INTO event_types t USING event_types s ON t.event_type = s.event_type WHEN MATCHED THEN DELETE";

ruleTests('merge-into-reference-table', {
  valid: [{ sql: 'MERGE INTO tenant_stats t USING ref_tenants r ON t.tenant_id = r.tenant_id WHEN MATCHED THEN UPDATE SET event_count = 0', outcome: 'coordinator' }],
  invalid: [
    { sql: REF, outcome: 'error', findings: [at(REF, 'ref_tenants')] },
    { sql: REF2, outcome: 'error', findings: [at(REF2, 'event_types')] },
  ],
});
