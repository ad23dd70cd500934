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
    // a SELECT that returns no row whatever the tables hold: not pushed down, and no shard runs an INSERT (so none
    // plans the subquery); each checked on Citus 13.2.2 (test/fixtures/probes/sql/no-rows.sql)
    { sql: UNCORRELATED.replace('FROM events', 'FROM events WHERE false'), method: 'pull_to_coordinator' },
    { sql: UNCORRELATED.replace('GROUP BY tenant_id', 'GROUP BY tenant_id LIMIT 0'), method: 'pull_to_coordinator' },
    { sql: UNCORRELATED.replace('FROM events GROUP BY tenant_id', 'FROM events GROUP BY tenant_id HAVING 1 = 0'), method: 'pull_to_coordinator' },
    { sql: UNCORRELATED.replace('FROM events', 'FROM events a WHERE NOT EXISTS (SELECT 1 FROM events x WHERE x.tenant_id = a.tenant_id)'), method: 'repartition' },
    { sql: UNCORRELATED.replace('FROM events', 'FROM (SELECT * FROM events WHERE false) e LEFT JOIN users u USING (tenant_id)'), method: 'pull_to_coordinator' },
  ],
  invalid: [
    // rows may come: an aggregate without GROUP BY makes one of none, a LEFT JOIN keeps its left side's rows, a
    // self anti-join with another condition, and one over another table, may leave rows
    ...[
      UNCORRELATED.replace('SELECT tenant_id, count(*) FROM events GROUP BY tenant_id', 'SELECT 1, count(*) FROM events WHERE false'),
      UNCORRELATED.replace('FROM events', 'FROM events e LEFT JOIN (SELECT tenant_id FROM users WHERE false) u USING (tenant_id)'),
      UNCORRELATED.replace('FROM events', "FROM events a WHERE NOT EXISTS (SELECT 1 FROM events x WHERE x.tenant_id = a.tenant_id AND x.event_type = 'y')"),
      UNCORRELATED.replace('FROM events', 'FROM events a WHERE NOT EXISTS (SELECT 1 FROM users x WHERE x.tenant_id = a.tenant_id)'),
      UNCORRELATED.replace('FROM events', 'FROM events a WHERE NOT EXISTS (SELECT 1 FROM events x WHERE x.user_id = a.user_id)'),
    ].map((sql) => ({ sql, method: 'error' as const, findings: [at(sql, '(SELECT count(*) FROM users)')] })),
    { sql: UNCORRELATED, method: 'error', findings: [at(UNCORRELATED, '(SELECT count(*) FROM users)')] },
    { sql: CORRELATED, method: 'error', findings: [at(CORRELATED, '(SELECT count(*) FROM events e')] },
    { sql: NESTED, method: 'error', findings: [at(NESTED, '(SELECT count(*) FROM users')] },
  ],
});
