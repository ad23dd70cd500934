import { at } from './at';
import { ruleTests } from './harness';

// Each case was run on Citus 13.2.2 (test/fixtures/probes/sql/full-join-using.sql and dml-join-using.sql record them):
// the invalid ones fail on the shards with `column <alias>.<name>_1 does not exist`, the valid ones run.
const SELECT_ON = 'SELECT count(*) FROM events e FULL JOIN users u USING (tenant_id) JOIN daily_rollup d ON d.tenant_id = e.tenant_id';
const SELECT_ROUTER = 'SELECT count(*) FROM events e FULL JOIN users u USING (tenant_id) JOIN daily_rollup d ON d.tenant_id = e.tenant_id WHERE e.tenant_id = 3';
const SELECT_COMMA = 'SELECT d.tenant_id FROM events e FULL JOIN users u USING (tenant_id), daily_rollup d WHERE e.tenant_id = d.tenant_id';
const REFERENCE = 'SELECT count(*) FROM events e FULL JOIN users u USING (tenant_id) JOIN ref_tenants r ON r.tenant_id = e.tenant_id';
const INSERT_SELECT = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events e FULL JOIN users u USING (tenant_id) JOIN daily_rollup d ON d.tenant_id = e.tenant_id GROUP BY e.tenant_id';
const UPDATE_PINNED = "UPDATE users u SET name = 'x' FROM events e FULL JOIN daily_rollup d USING (tenant_id) WHERE e.tenant_id = u.tenant_id AND u.tenant_id = 3";
const MERGE = "MERGE INTO users u USING events e FULL JOIN daily_rollup d USING (tenant_id) ON u.tenant_id = e.tenant_id WHEN MATCHED THEN UPDATE SET name = 'x'";

ruleTests('join-using-renamed-column', {
  valid: [
    // a subquery beside the join, a table joined to it USING, a join of plain columns, an aliased join
    { sql: 'SELECT count(*) FROM events e FULL JOIN users u USING (tenant_id) JOIN (SELECT tenant_id FROM daily_rollup) d ON d.tenant_id = e.tenant_id', outcome: 'multi_shard' },
    { sql: 'SELECT count(*) FROM events e FULL JOIN users u USING (tenant_id) JOIN daily_rollup d USING (event_type) WHERE d.tenant_id = e.tenant_id', outcome: 'multi_shard' },
    { sql: 'SELECT count(*) FROM events e LEFT JOIN users u USING (tenant_id) JOIN daily_rollup d ON d.tenant_id = e.tenant_id', outcome: 'multi_shard' },
    // (the aliased join's merged column is no distribution column: a join Citus refuses, `complex joins ..`)
    { sql: 'SELECT count(*) FROM (events e FULL JOIN users u USING (tenant_id)) j JOIN daily_rollup d ON d.tenant_id = j.tenant_id', outcome: 'error' },
    // plain PostgreSQL: nothing is deparsed
    { sql: 'SELECT count(*) FROM local_config l FULL JOIN local_archive a USING (tenant_id) JOIN local_config l2 ON l2.tenant_id = l.tenant_id', outcome: 'local' },
  ],
  invalid: [
    { sql: SELECT_ON, outcome: 'error', findings: [at(SELECT_ON, 'd.tenant_id')] },
    { sql: SELECT_ROUTER, outcome: 'error', findings: [at(SELECT_ROUTER, 'd.tenant_id')] },
    { sql: SELECT_COMMA, outcome: 'error', findings: [at(SELECT_COMMA, 'd.tenant_id')] },
    { sql: REFERENCE, outcome: 'error', findings: [at(REFERENCE, 'r.tenant_id')] },
    { sql: INSERT_SELECT, method: 'error', findings: [at(INSERT_SELECT, 'd.tenant_id')] },
    { sql: UPDATE_PINNED, outcome: 'error', findings: [at(UPDATE_PINNED, 'u.tenant_id')] },
    { sql: MERGE, outcome: 'error', findings: [at(MERGE, 'u.tenant_id')] },
  ],
});
