import { at } from './at';
import { ruleTests } from './harness';

const NO_FILTER = "UPDATE github_events SET event_public = TRUE WHERE (org->>'id')::int = 5430905";
const DELETE_ALL = "DELETE FROM events WHERE event_type = 'logout'";
const IN_LIST = 'DELETE FROM github_events WHERE repo_id IN (24509048, 24509049)';
const COLOCATED_JOIN = "DELETE FROM events e USING users u WHERE e.tenant_id = u.tenant_id AND e.user_id = u.user_id AND u.name LIKE 'user 1%'";
const MERGE = 'MERGE INTO tenant_stats t USING (SELECT tenant_id, count(*) AS c FROM events GROUP BY tenant_id) s ON t.tenant_id = s.tenant_id WHEN MATCHED THEN UPDATE SET event_count = s.c';
// a row IN list: one value of the distribution column per row (checked on Citus 13.2.2: Task Count 2)
const ROW_IN = 'UPDATE daily_rollup SET event_count = 0 WHERE (tenant_id, day) IN ((1, current_date), (2, current_date))';
const WITH_CTE = 'WITH x AS (SELECT 1) UPDATE events SET value = 0';

ruleTests('multi-shard-modification', {
  valid: [
    { sql: 'DELETE FROM github_events WHERE repo_id = 206084', outcome: 'single_shard' },
    { sql: 'UPDATE events e SET value = u.user_id FROM users u WHERE e.tenant_id = u.tenant_id AND e.user_id = u.user_id AND e.tenant_id = 5', outcome: 'single_shard' },
    // two values that hash to the same shard are one task
    { sql: 'DELETE FROM events WHERE tenant_id IN (5, 5)', outcome: 'single_shard' },
    { sql: "UPDATE ref_tenants SET plan = 'pro'", outcome: 'single_shard' },
    // a row equality is the AND of its columns' equalities (checked on Citus 13.2.2: Task Count 1)
    { sql: "UPDATE daily_rollup SET event_count = event_count + 1 WHERE (tenant_id, day, event_type) = (1, current_date, 'click')", outcome: 'single_shard' },
    { sql: 'SELECT * FROM daily_rollup WHERE (tenant_id, day) = (1, current_date)', outcome: 'single_shard' },
    // a recursive CTE is not inlined: its rows pin nothing (checked on Citus 13.2.2: refused without a filter of its own)
    { sql: 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r JOIN events e ON e.tenant_id = r.n', outcome: 'error' },
    { sql: 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r JOIN events e ON e.tenant_id = r.n WHERE e.tenant_id = 3', outcome: 'single_shard' },
    // multi-row INSERT .. VALUES touches only its rows' shards: no finding
    { sql: "INSERT INTO events (tenant_id, event_id) VALUES (1, 1), (2, 2)", outcome: 'multi_shard' },
  ],
  invalid: [
    { sql: NO_FILTER, outcome: 'multi_shard', findings: [at(NO_FILTER, 'UPDATE')] },
    { sql: DELETE_ALL, outcome: 'multi_shard', findings: [at(DELETE_ALL, 'DELETE')] },
    { sql: IN_LIST, outcome: 'multi_shard', findings: [at(IN_LIST, 'DELETE')] },
    { sql: COLOCATED_JOIN, outcome: 'multi_shard', findings: [at(COLOCATED_JOIN, 'DELETE')] },
    { sql: MERGE, outcome: 'multi_shard', findings: [at(MERGE, 'MERGE')] },
    { sql: WITH_CTE, outcome: 'multi_shard', findings: [at(WITH_CTE, 'UPDATE')] },
    { sql: ROW_IN, outcome: 'multi_shard', findings: [at(ROW_IN, 'UPDATE')] },
  ],
});
