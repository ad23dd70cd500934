import { at } from './at';
import { ruleTests } from './harness';

const NULL_VALUE = "INSERT INTO events (tenant_id, event_id, event_type) VALUES (NULL, 900031, 'click')";
const SECOND_ROW = "INSERT INTO events (tenant_id, event_id) VALUES (1, 900032), (NULL::int, 900033)";
const DEFAULT_KW = 'INSERT INTO orders_nc (tenant_id, order_id) VALUES (DEFAULT, 1)';

ruleTests('insert-null-dist-column', {
  valid: [
    { sql: "INSERT INTO events (tenant_id, event_id, event_type) VALUES (7, 900021, 'click'), (7, 900022, 'view')", outcome: 'single_shard' },
    // NULL in another column is fine
    { sql: "INSERT INTO events (tenant_id, event_id, user_id) VALUES (7, 900021, NULL)", outcome: 'single_shard' },
    // a random() distribution value is computed once on the coordinator and routed
    { sql: 'INSERT INTO page_views (tenant_id, page_id) VALUES ((random() * 100)::int, 1)', outcome: 'single_shard' },
  ],
  invalid: [
    { sql: NULL_VALUE, outcome: 'error', findings: [at(NULL_VALUE, 'NULL')] },
    { sql: SECOND_ROW, outcome: 'error', findings: [at(SECOND_ROW, 'NULL')] },
    { sql: DEFAULT_KW, outcome: 'error', findings: [at(DEFAULT_KW, 'DEFAULT')] },
  ],
});
