import { at } from './at';
import { ruleTests } from './harness';

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
    // a router SELECT (one tenant) may group by anything
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT max(tenant_id), count(*) FROM events WHERE tenant_id = 5 GROUP BY event_type' },
  ],
  invalid: [
    {
      sql: BY_TYPE,
      method: 'pull_to_coordinator',
      findings: [at(BY_TYPE, 'GROUP BY')],
      output: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT max(tenant_id), count(*) FROM events GROUP BY tenant_id, event_type',
    },
    {
      sql: DAILY,
      method: 'pull_to_coordinator',
      findings: [at(DAILY, 'GROUP BY')],
      output: DAILY.replace('GROUP BY created_at', 'GROUP BY tenant_id, created_at'),
    },
    {
      sql: IN_SUBQUERY,
      method: 'pull_to_coordinator',
      findings: [at(IN_SUBQUERY, 'GROUP BY')],
      output: IN_SUBQUERY.replace('GROUP BY event_type', 'GROUP BY tenant_id, event_type'),
    },
    { sql: OTHER_KEY, method: 'pull_to_coordinator', findings: [at(OTHER_KEY, 'GROUP BY')] },
    { sql: ORDINALS, method: 'pull_to_coordinator', findings: [at(ORDINALS, 'GROUP BY')] },
    {
      sql: FUNCTION_BODY,
      method: 'pull_to_coordinator',
      findings: [at(FUNCTION_BODY, 'GROUP BY')],
      output: FUNCTION_BODY.replace('GROUP BY view_time', 'GROUP BY tenant_id, view_time'),
    },
  ],
});
