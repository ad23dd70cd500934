import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// PostgreSQL's own check (src/core/semantic/); every statement here is also run on a real PostgreSQL by
// test/db/semantic-rules.test.ts, which requires PostgreSQL to reject exactly the invalid ones.
const JOINED = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events e JOIN users u ON u.user_id = e.user_id GROUP BY 1';

export const cases: RuleTable = {
  valid: [
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events e JOIN users u ON u.tenant_id = e.tenant_id AND u.user_id = e.user_id GROUP BY 1', method: 'pushdown' },
    // JOIN ... USING merges the column
    { sql: 'SELECT tenant_id FROM events JOIN users USING (tenant_id, user_id)' },
    // PostgreSQL stops at the table name used twice (datatype-mismatch), before the columns that would be ambiguous
    { sql: 'UPDATE events SET value = 1 FROM events WHERE tenant_id = 1', notOnPostgres: 'PostgreSQL refuses it first with table name "events" specified more than once' },
    { sql: 'MERGE INTO events USING events ON tenant_id = tenant_id WHEN MATCHED THEN DO NOTHING', notOnPostgres: 'PostgreSQL refuses it first with name "events" specified more than once' },
  ],
  invalid: [{ sql: JOINED, method: 'error', findings: [at(JOINED, 'tenant_id', 2)] }],
};

ruleTests('ambiguous-column', cases);
