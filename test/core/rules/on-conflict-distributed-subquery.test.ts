import { at } from './at';
import { ruleTests } from './harness';

const UNCORRELATED = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id ON CONFLICT (tenant_id) DO UPDATE SET event_count = (SELECT count(*) FROM users)';
const CORRELATED = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id ON CONFLICT (tenant_id) DO UPDATE SET event_count = (SELECT count(*) FROM events e WHERE e.tenant_id = EXCLUDED.tenant_id)';
const NESTED = `INSERT INTO tenant_stats (tenant_id, event_count)
SELECT tenant_id, count(*) FROM events GROUP BY tenant_id
ON CONFLICT (tenant_id) DO UPDATE
SET event_count = tenant_stats.event_count + (SELECT count(*) FROM users u WHERE u.tenant_id = EXCLUDED.tenant_id)`;

ruleTests('on-conflict-distributed-subquery', {
  valid: [
    // a reference table is on every node: no distributed query from the shard
    { sql: "INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id ON CONFLICT (tenant_id) DO UPDATE SET event_count = (SELECT weight FROM event_types WHERE event_type = 'x')", method: 'pushdown' },
    // the usual way: compute it in the SELECT, joined on the distribution column, and assign EXCLUDED
    {
      sql: `INSERT INTO tenant_stats (tenant_id, event_count)
SELECT e.tenant_id, count(*) + max(u.n)
FROM events e JOIN (SELECT tenant_id, count(*) AS n FROM users GROUP BY tenant_id) u ON u.tenant_id = e.tenant_id
GROUP BY e.tenant_id
ON CONFLICT (tenant_id) DO UPDATE SET event_count = EXCLUDED.event_count`,
      method: 'pushdown',
    },
  ],
  invalid: [
    { sql: UNCORRELATED, method: 'error', findings: [at(UNCORRELATED, '(SELECT count(*) FROM users)')] },
    { sql: CORRELATED, method: 'error', findings: [at(CORRELATED, '(SELECT count(*) FROM events e')] },
    { sql: NESTED, method: 'error', findings: [at(NESTED, '(SELECT count(*) FROM users')] },
  ],
});
