import { at } from './at';
import { ruleTests } from './harness';

const NEXTVAL = "INSERT INTO events (tenant_id, event_id, created_at) SELECT tenant_id, nextval('event_seq'), created_at FROM events";
const NEXTVAL_KEY = "INSERT INTO events (tenant_id, event_id, created_at) SELECT nextval('event_seq')::int, event_id + 1300000, created_at FROM events WHERE tenant_id = 1";
// a rollup with a bigserial surrogate key: the omitted id is filled from a sequence on the coordinator
const SERIAL_SCHEMA = `CREATE TABLE event_log (id bigserial, tenant_id int, event_type text, n bigint);
SELECT create_distributed_table('event_log', 'tenant_id', colocate_with => 'events');
`;
const SERIAL = `${SERIAL_SCHEMA}INSERT INTO event_log (tenant_id, event_type, n)
SELECT tenant_id, event_type, count(*) FROM events GROUP BY tenant_id, event_type`;
const IDENTITY = `CREATE TABLE event_log2 (id bigint GENERATED ALWAYS AS IDENTITY, tenant_id int, n bigint);
SELECT create_distributed_table('event_log2', 'tenant_id', colocate_with => 'events');
INSERT INTO event_log2 (tenant_id, n) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id`;

ruleTests('sequence-default-forces-pull', {
  valid: [
    { sql: 'INSERT INTO events (tenant_id, event_id, created_at) SELECT tenant_id, event_id + 1, created_at FROM events', method: 'pushdown' },
    // the sequence column is given a value, so its default is not used
    { sql: `${SERIAL_SCHEMA}INSERT INTO event_log (id, tenant_id, event_type, n) SELECT 0, tenant_id, event_type, count(*) FROM events GROUP BY tenant_id, event_type`, method: 'pushdown' },
    // a rollup keyed by the distribution column and the bucket needs no sequence
    { sql: 'INSERT INTO daily_rollup (tenant_id, day, event_type, event_count) SELECT tenant_id, created_at::date, event_type, count(*) FROM events GROUP BY 1, 2, 3', method: 'pushdown' },
  ],
  invalid: [
    { sql: NEXTVAL, method: 'pull_to_coordinator', findings: [at(NEXTVAL, 'nextval(')] },
    { sql: NEXTVAL_KEY, method: 'pull_to_coordinator', findings: [at(NEXTVAL_KEY, 'nextval(')] },
    { sql: SERIAL, method: 'pull_to_coordinator', findings: [at(SERIAL, 'tenant_id, event_type, n')] },
    { sql: IDENTITY, method: 'pull_to_coordinator', findings: [at(IDENTITY, 'tenant_id, n')] },
  ],
});
