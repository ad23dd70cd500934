import { at } from './at';
import { ruleTests } from './harness';

const FROM_EVENTS = "INSERT INTO ref_tenants (tenant_id, tenant_name) SELECT tenant_id + 1000, 'x' FROM events GROUP BY tenant_id";
const ONE_TENANT = "INSERT INTO event_types (event_type, category) SELECT event_type, 'auto' FROM events WHERE tenant_id = 5 GROUP BY event_type";
// the distributed table only filters the reference rows
const FILTERED = `INSERT INTO ref_tenants (tenant_id, tenant_name, plan)
SELECT r.tenant_id + 5000, r.tenant_name, 'active'
FROM ref_tenants r
WHERE r.tenant_id IN (SELECT tenant_id FROM events)`;
const JOINED = "INSERT INTO ref_tenants (tenant_id, tenant_name) SELECT e.tenant_id + 1000, 'x' FROM events e JOIN ref_tenants r ON e.tenant_id = r.tenant_id GROUP BY e.tenant_id";

ruleTests('reference-target-from-distributed', {
  valid: [
    // reference from reference: one task
    { sql: 'INSERT INTO ref_tenants (tenant_id, tenant_name) SELECT tenant_id + 1000, tenant_name FROM ref_tenants', method: 'router' },
    { sql: "INSERT INTO event_types (event_type, category) SELECT event_type || '_copy', category FROM event_types", method: 'router' },
    // DISTINCT without the distribution column is Citus' first reason here (distinct-without-dist-column)
    { sql: "INSERT INTO event_types (event_type, category) SELECT DISTINCT event_type, 'auto' FROM events WHERE event_type IS NOT NULL", method: 'pull_to_coordinator' },
  ],
  invalid: [
    { sql: FROM_EVENTS, method: 'pull_to_coordinator', findings: [at(FROM_EVENTS, 'events')] },
    { sql: ONE_TENANT, method: 'pull_to_coordinator', findings: [at(ONE_TENANT, 'events')] },
    { sql: FILTERED, method: 'pull_to_coordinator', findings: [at(FILTERED, 'events')] },
    { sql: JOINED, method: 'pull_to_coordinator', findings: [at(JOINED, 'events')] },
  ],
});
