import { at } from './at';
import { ruleTests } from './harness';

// each case recorded on Citus 13.2.2 (the corpus schema: events and tenant_stats hash-distributed, colocated)
const ON = 'SET citus.multi_task_query_log_level TO error;\n';
const PUSHDOWN = `${ON}INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id`;
const PULLED = `${ON}INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id LIMIT 5`;
const UPDATE_ALL = `${ON}UPDATE events SET value = 0`;
const SELECT_ALL = `${ON}SELECT count(*) FROM events`;

ruleTests('multi-task-query', {
  valid: [
    { sql: `${ON}INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events WHERE tenant_id = 5 GROUP BY tenant_id`, method: 'router' },
    { sql: `${ON}UPDATE events SET value = 0 WHERE tenant_id = 5`, outcome: 'single_shard' },
    // the other levels only print the message
    { sql: 'SET citus.multi_task_query_log_level TO warning;\nUPDATE events SET value = 0', outcome: 'multi_shard' },
    { sql: `${ON}RESET citus.multi_task_query_log_level;\nUPDATE events SET value = 0`, outcome: 'multi_shard' },
  ],
  invalid: [
    { sql: PUSHDOWN, method: 'error', findings: [at(PUSHDOWN, 'INSERT')] },
    { sql: PULLED, method: 'error', findings: [at(PULLED, 'INSERT')] },
    { sql: UPDATE_ALL, outcome: 'error', findings: [at(UPDATE_ALL, 'UPDATE')] },
    { sql: SELECT_ALL, outcome: 'error', findings: [at(SELECT_ALL, 'SELECT')] },
  ],
});
