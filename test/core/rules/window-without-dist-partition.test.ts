import { at } from './at';
import { ruleTests } from './harness';

const BY_USER = 'INSERT INTO events (tenant_id, event_id, created_at, value) SELECT tenant_id, event_id + 600000, created_at, rank() OVER (PARTITION BY user_id ORDER BY created_at) FROM events';
const BY_TYPE = 'INSERT INTO events (tenant_id, event_id, created_at, value) SELECT tenant_id, event_id + 600000, created_at, avg(value) OVER (PARTITION BY event_type) FROM events';
const NO_PARTITION = 'INSERT INTO events (tenant_id, event_id, created_at, value) SELECT tenant_id, event_id + 600000, created_at, row_number() OVER (ORDER BY created_at) FROM events';
const NAMED = `INSERT INTO events (tenant_id, event_id, created_at, value)
SELECT tenant_id, event_id + 600000, created_at, sum(value) OVER w
FROM events
WINDOW w AS (PARTITION BY event_type ORDER BY created_at)`;
// the latest event per user, in a FROM subquery
const LATEST = `INSERT INTO tenant_stats (tenant_id, last_seen)
SELECT tenant_id, created_at
FROM (SELECT tenant_id, created_at, row_number() OVER (PARTITION BY user_id ORDER BY created_at DESC) AS rn FROM events) s
WHERE rn = 1`;

ruleTests('window-without-dist-partition', {
  valid: [
    { sql: 'INSERT INTO events (tenant_id, event_id, created_at, value) SELECT tenant_id, event_id + 600000, created_at, row_number() OVER (PARTITION BY tenant_id ORDER BY created_at) FROM events', method: 'pushdown' },
    { sql: 'INSERT INTO events (tenant_id, event_id, created_at, value) SELECT tenant_id, event_id + 600000, created_at, sum(value) OVER (PARTITION BY tenant_id, event_type) FROM events', method: 'pushdown' },
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, event_id FROM (SELECT tenant_id, event_id, row_number() OVER (PARTITION BY tenant_id ORDER BY created_at DESC) AS rn FROM events) s WHERE rn = 1', method: 'pushdown' },
    // a router SELECT (one tenant) may partition by anything
    { sql: 'INSERT INTO events (tenant_id, event_id, created_at, value) SELECT tenant_id, event_id + 600000, created_at, rank() OVER (PARTITION BY user_id ORDER BY created_at) FROM events WHERE tenant_id = 3', method: 'router' },
  ],
  invalid: [
    {
      sql: BY_USER,
      method: 'pull_to_coordinator',
      findings: [at(BY_USER, 'rank()')],
      output: BY_USER.replace('PARTITION BY user_id', 'PARTITION BY tenant_id, user_id'),
    },
    {
      sql: BY_TYPE,
      method: 'pull_to_coordinator',
      findings: [at(BY_TYPE, 'avg(value)')],
      output: BY_TYPE.replace('PARTITION BY event_type', 'PARTITION BY tenant_id, event_type'),
    },
    // no PARTITION BY at all: no list to add to, so no fix
    { sql: NO_PARTITION, method: 'pull_to_coordinator', findings: [at(NO_PARTITION, 'row_number()')] },
    {
      sql: NAMED,
      method: 'pull_to_coordinator',
      findings: [at(NAMED, 'sum(value) OVER w')],
      output: NAMED.replace('PARTITION BY event_type', 'PARTITION BY tenant_id, event_type'),
    },
    {
      sql: LATEST,
      method: 'pull_to_coordinator',
      findings: [at(LATEST, 'row_number()')],
      output: LATEST.replace('PARTITION BY user_id', 'PARTITION BY tenant_id, user_id'),
    },
  ],
});
