import { at } from './at';
import { ruleTests } from './harness';

const BATCH = 'DELETE FROM events WHERE ctid IN (SELECT ctid FROM events WHERE tenant_id = 5 ORDER BY created_at LIMIT 10)';
const UPDATE = "UPDATE events e SET value = 0 WHERE e.ctid = ANY (SELECT ctid FROM events WHERE event_type = 'x' LIMIT 5)";

ruleTests('ctid-subquery-modification', {
  valid: [
    { sql: 'DELETE FROM events WHERE (tenant_id, event_id) IN (SELECT tenant_id, event_id FROM events WHERE event_id < 10)', outcome: 'multi_shard' },
    { sql: 'DELETE FROM local_archive WHERE ctid IN (SELECT ctid FROM local_archive LIMIT 10)', outcome: 'local' },
  ],
  invalid: [
    { sql: BATCH, outcome: 'error', findings: [at(BATCH, 'ctid IN')] },
    { sql: UPDATE, outcome: 'error', findings: [at(UPDATE, 'e.ctid')] },
  ],
});
