import { strict as assert } from 'node:assert';
import { loadParser } from '../../../src/core/parse/libpg';
import { at } from './at';
import { analyze, ruleTests } from './harness';

const BY_TYPE = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT max(tenant_id), count(*) FROM events GROUP BY event_type';
const DAILY = `INSERT INTO daily_rollup (tenant_id, day, event_type, event_count)
SELECT min(tenant_id), created_at::date, event_type, count(*)
FROM events
GROUP BY created_at::date, event_type`;
const IN_SUBQUERY = `INSERT INTO tenant_stats (tenant_id, event_count)
SELECT s.tenant_id, s.n
FROM (SELECT max(tenant_id) AS tenant_id, count(*) AS n FROM events GROUP BY event_type) s`;
const OTHER_KEY = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT user_id, count(*) FROM events WHERE user_id IS NOT NULL GROUP BY user_id';
const ORDINALS = "INSERT INTO github_repo_rollup (repo_id, day, event_type, n) SELECT (actor->>'id')::bigint, created_at::date, event_type, count(*) FROM github_events GROUP BY 1, 2, 3";
// inside a PL/pgSQL function body: positions are in the outer file
const FUNCTION_BODY = `CREATE FUNCTION roll_page_views() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO daily_page_views (tenant_id, day, page_id, view_count)
  SELECT max(tenant_id), view_time::date, page_id, count(*)
  FROM page_views
  GROUP BY view_time::date, page_id
  ON CONFLICT (tenant_id, day, page_id) DO UPDATE SET view_count = daily_page_views.view_count + EXCLUDED.view_count;
END;
$$;`;

// a FROM subquery whose aggregate has no alias: the outer query reads it as s.max, so the fix keeps that name
const UNNAMED = `INSERT INTO tenant_stats (tenant_id, event_count)
SELECT s.max, s.n
FROM (SELECT max(tenant_id), count(*) AS n FROM events GROUP BY event_type) s`;
// FILTER can make the aggregate NULL in a group: it is not the column, and the fix says the statement still does not push down
// a parenthesised GROUP BY list is its items (PostgreSQL flattens it), not one row
const PARENTHESISED = 'INSERT INTO daily_page_views (tenant_id, day, page_id, view_count) SELECT max(tenant_id), view_time::date, page_id, count(*) FROM page_views GROUP BY (view_time::date, page_id)';
const FILTERED = "INSERT INTO tenant_stats (tenant_id, event_count) SELECT max(tenant_id) FILTER (WHERE event_type = 'click'), count(*) FROM events GROUP BY event_type";

ruleTests('group-by-without-dist-column', {
  valid: [
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id', method: 'pushdown' },
    // other grouping columns may be added to the distribution column
    {
      sql: `INSERT INTO daily_page_views (tenant_id, day, page_id, view_count)
SELECT tenant_id, view_time::date, page_id, count(*)
FROM page_views
WHERE view_time >= date_trunc('day', now() - interval '1 day')
GROUP BY tenant_id, view_time::date, page_id
ON CONFLICT (tenant_id, day, page_id) DO UPDATE SET view_count = daily_page_views.view_count + EXCLUDED.view_count`,
      method: 'pushdown',
    },
    // ordinal GROUP BY whose first item is the distribution column
    { sql: 'INSERT INTO daily_rollup (tenant_id, day, event_type, event_count) SELECT tenant_id, created_at::date, event_type, count(*) FROM events GROUP BY 1, 2, 3', method: 'pushdown' },
    { sql: 'INSERT INTO daily_page_views (tenant_id, day, page_id, view_count) SELECT tenant_id, view_time::date, page_id, count(*) FROM page_views GROUP BY (tenant_id, view_time::date, page_id)', method: 'pushdown' },
    { sql: 'INSERT INTO daily_page_views (tenant_id, day, page_id, view_count) SELECT tenant_id, view_time::date, page_id, count(*) FROM page_views GROUP BY (tenant_id), (view_time::date, page_id)', method: 'pushdown' },
    // a router SELECT (one tenant) may group by anything
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT max(tenant_id), count(*) FROM events WHERE tenant_id = 5 GROUP BY event_type' },
  ],
  invalid: [
    {
      sql: BY_TYPE,
      method: 'pull_to_coordinator',
      findings: [at(BY_TYPE, 'GROUP BY')],
      // grouped by tenant_id, max(tenant_id) is tenant_id: selecting the column itself is what lets Citus push down
      output: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id, event_type',
      outputMethod: 'pushdown',
    },
    {
      sql: DAILY,
      method: 'pull_to_coordinator',
      findings: [at(DAILY, 'GROUP BY')],
      output: DAILY.replace('GROUP BY created_at', 'GROUP BY tenant_id, created_at').replace('min(tenant_id)', 'tenant_id'),
      outputMethod: 'pushdown',
    },
    {
      sql: IN_SUBQUERY,
      method: 'pull_to_coordinator',
      findings: [at(IN_SUBQUERY, 'GROUP BY')],
      output: IN_SUBQUERY.replace('GROUP BY event_type', 'GROUP BY tenant_id, event_type').replace('max(tenant_id)', 'tenant_id'),
      outputMethod: 'pushdown',
    },
    // grouping by tenant_id keeps the groups on their shards, but user_id still goes into tenant_id: repartition
    { sql: OTHER_KEY, method: 'pull_to_coordinator', findings: [at(OTHER_KEY, 'GROUP BY')], output: OTHER_KEY.replace('GROUP BY user_id', 'GROUP BY tenant_id, user_id'), outputMethod: 'repartition' },
    {
      sql: UNNAMED,
      method: 'pull_to_coordinator',
      findings: [at(UNNAMED, 'GROUP BY')],
      output: UNNAMED.replace('GROUP BY event_type', 'GROUP BY tenant_id, event_type').replace('max(tenant_id),', 'tenant_id AS max,'),
      outputMethod: 'pushdown',
    },
    { sql: FILTERED, method: 'pull_to_coordinator', findings: [at(FILTERED, 'GROUP BY')], output: FILTERED.replace('GROUP BY event_type', 'GROUP BY tenant_id, event_type'), outputMethod: 'repartition' },
    { sql: ORDINALS, method: 'pull_to_coordinator', findings: [at(ORDINALS, 'GROUP BY')] },
    {
      sql: PARENTHESISED,
      method: 'pull_to_coordinator',
      findings: [at(PARENTHESISED, 'GROUP BY')],
      output: PARENTHESISED.replace('GROUP BY (view_time', 'GROUP BY (tenant_id, view_time').replace('max(tenant_id)', 'tenant_id'),
      outputMethod: 'pushdown',
    },
    {
      sql: FUNCTION_BODY,
      method: 'pull_to_coordinator',
      findings: [at(FUNCTION_BODY, 'GROUP BY')],
      output: FUNCTION_BODY.replace('GROUP BY view_time', 'GROUP BY tenant_id, view_time').replace('max(tenant_id)', 'tenant_id'),
      outputMethod: 'pushdown',
    },
  ],
});

describe('group-by-without-dist-column fix titles', () => {
  before(async () => {
    await loadParser();
  });
  const titleOf = (sql: string): string | undefined => analyze(sql).findings.find((f) => f.rule === 'group-by-without-dist-column')?.fix?.title;
  it('names the aggregate it replaces by the column', () => {
    assert.equal(titleOf(DAILY), 'Add tenant_id to GROUP BY and select tenant_id for min(tenant_id)');
  });
  it('says when the fixed statement still does not push down, and why', () => {
    assert.equal(titleOf(OTHER_KEY), 'Add tenant_id to GROUP BY (still not pushed down: tenant_id gets user_id)');
    assert.equal(titleOf(FILTERED), "Add tenant_id to GROUP BY (still not pushed down: tenant_id gets max(tenant_id) FILTER (WHERE event_type = 'click'))");
  });
});
