import { strict as assert } from 'node:assert';
import { loadParser } from '../../../src/core/parse/libpg';
import { at } from './at';
import { analyze, ruleTests } from './harness';

const SIMPLE = 'WITH c AS (SELECT tenant_id, count(*) AS n FROM events GROUP BY tenant_id) INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, n FROM c';
const ROLLUP = `WITH recent AS (
  SELECT tenant_id, view_time::date AS day, page_id FROM page_views WHERE view_time > now() - interval '1 hour'
)
INSERT INTO daily_page_views (tenant_id, day, page_id, view_count)
SELECT tenant_id, day, page_id, count(*) FROM recent GROUP BY tenant_id, day, page_id
ON CONFLICT (tenant_id, day, page_id) DO UPDATE SET view_count = daily_page_views.view_count + EXCLUDED.view_count`;
// the CTE is joined with a distributed table: Citus reports the CTE reference
const JOINED = `WITH r AS (SELECT tenant_id FROM ref_tenants WHERE plan = 'enterprise')
INSERT INTO tenant_stats (tenant_id, event_count)
SELECT e.tenant_id, count(*) FROM events e JOIN r ON r.tenant_id = e.tenant_id GROUP BY e.tenant_id`;
const ONE_TENANT = 'WITH c AS (SELECT tenant_id, event_id FROM events WHERE tenant_id = 9) INSERT INTO events (tenant_id, event_id, created_at) SELECT tenant_id, event_id + 1200000, now() FROM c';
// MATERIALIZED stays materialized inside the SELECT too: the fix is offered but does not help
const MATERIALIZED = 'WITH c AS MATERIALIZED (SELECT tenant_id, count(*) AS n FROM events GROUP BY tenant_id) INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, n FROM c';

// INSERT-level WITH RECURSIVE (checked on Citus 13.2.2 by running each): with a distributed table in the SELECT the CTE
// is not found (error), with reference tables only the relation is not found (error), with no Citus table it runs
const RECURSIVE = 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) ';
const RECURSIVE_DIST = `${RECURSIVE}INSERT INTO tenant_stats (tenant_id, event_count) SELECT r.n, count(*) FROM r JOIN events e ON e.tenant_id = r.n GROUP BY 1 ON CONFLICT DO NOTHING`;
const RECURSIVE_ONLY = `${RECURSIVE}INSERT INTO tenant_stats (tenant_id, event_count) SELECT n, 0 FROM r ON CONFLICT DO NOTHING`;
const RECURSIVE_LOCAL = `${RECURSIVE}INSERT INTO tenant_stats (tenant_id, event_count) SELECT r.n, 0 FROM r JOIN local_config t ON t.tenant_id = r.n ON CONFLICT DO NOTHING`;
const RECURSIVE_REF = `${RECURSIVE}INSERT INTO tenant_stats (tenant_id, event_count) SELECT r.n, 0 FROM r JOIN ref_tenants t ON t.tenant_id = r.n ON CONFLICT DO NOTHING`;

ruleTests('insert-level-cte', {
  valid: [

    // the same CTE written inside the SELECT is inlined and pushed down
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) WITH c AS (SELECT tenant_id, count(*) AS n FROM events GROUP BY tenant_id) SELECT tenant_id, n FROM c', method: 'pushdown' },
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, n FROM (SELECT tenant_id, count(*) AS n FROM events GROUP BY tenant_id) c', method: 'pushdown' },
  ],
  invalid: [
    // no Citus table in the SELECT: it runs, through the coordinator (the CTE is still reported: it is not pushed down)
    { sql: RECURSIVE_ONLY, method: 'pull_to_coordinator', findings: [at(RECURSIVE_ONLY, 'WITH')] },
    { sql: RECURSIVE_LOCAL, method: 'pull_to_coordinator', findings: [at(RECURSIVE_LOCAL, 'local_config')] },
    { sql: RECURSIVE_DIST, method: 'error', findings: [at(RECURSIVE_DIST, 'r JOIN events'), at(RECURSIVE_DIST, 'r(n)')] },
    { sql: RECURSIVE_REF, method: 'error', findings: [at(RECURSIVE_REF, 'r(n)'), at(RECURSIVE_REF, 'WITH')] },
    {
      sql: SIMPLE,
      method: 'repartition',
      findings: [at(SIMPLE, 'WITH')],
      output: 'INSERT INTO tenant_stats (tenant_id, event_count) WITH c AS (SELECT tenant_id, count(*) AS n FROM events GROUP BY tenant_id) SELECT tenant_id, n FROM c',
    },
    {
      sql: ROLLUP,
      method: 'repartition',
      findings: [at(ROLLUP, 'WITH')],
      output: `INSERT INTO daily_page_views (tenant_id, day, page_id, view_count)
WITH recent AS (
  SELECT tenant_id, view_time::date AS day, page_id FROM page_views WHERE view_time > now() - interval '1 hour'
) SELECT tenant_id, day, page_id, count(*) FROM recent GROUP BY tenant_id, day, page_id
ON CONFLICT (tenant_id, day, page_id) DO UPDATE SET view_count = daily_page_views.view_count + EXCLUDED.view_count`,
    },
    {
      sql: JOINED,
      method: 'repartition',
      findings: [at(JOINED, 'JOIN r', 1, 5)],
      output: `INSERT INTO tenant_stats (tenant_id, event_count)
WITH r AS (SELECT tenant_id FROM ref_tenants WHERE plan = 'enterprise') SELECT e.tenant_id, count(*) FROM events e JOIN r ON r.tenant_id = e.tenant_id GROUP BY e.tenant_id`,
    },
    {
      sql: ONE_TENANT,
      method: 'pull_to_coordinator',
      findings: [at(ONE_TENANT, 'WITH')],
      output: 'INSERT INTO events (tenant_id, event_id, created_at) WITH c AS (SELECT tenant_id, event_id FROM events WHERE tenant_id = 9) SELECT tenant_id, event_id + 1200000, now() FROM c',
    },
    { sql: MATERIALIZED, method: 'pull_to_coordinator', findings: [at(MATERIALIZED, 'WITH')] },
  ],
});

// No move fix where it would not help or would break the statement:
// - a MATERIALIZED CTE stays materialized inside the SELECT (pull -> pull);
// - a data-modifying CTE cannot move: PostgreSQL only allows WITH ... DELETE/UPDATE/INSERT at the top
//   level ("WITH clause containing a data-modifying statement must be at the top level").
const DELETE_CTE = 'WITH d AS (DELETE FROM events WHERE tenant_id = 3 RETURNING *) INSERT INTO events (tenant_id, event_id, created_at) SELECT tenant_id, event_id + 1, created_at FROM d';
describe('insert-level-cte offers no fix that does not help', () => {
  before(async () => {
    await loadParser();
  });
  for (const sql of [MATERIALIZED, DELETE_CTE]) {
    it(`no move fix where it would not help: ${sql.slice(0, 60)}`, () => {
      const f = analyze(sql).findings.find((x) => x.rule === 'insert-level-cte');
      assert.ok(f);
      assert.equal(f.fix, undefined);
    });
  }
});
