import { at } from './at';
import { ruleTests } from './harness';

const PLUS_ONE = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id ON CONFLICT (tenant_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id + 1';
const CONSTANT = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id LIMIT 3 ON CONFLICT (tenant_id) DO UPDATE SET tenant_id = 5';
const TEXT_KEY = "INSERT INTO session_rollup (session_key, total_duration, n) SELECT session_key, sum(duration), count(*) FROM sessions GROUP BY session_key ON CONFLICT (session_key) DO UPDATE SET session_key = EXCLUDED.session_key || 'x'";
// a rollup upsert that also assigns the key from another column
const ROLLUP = `INSERT INTO daily_rollup (tenant_id, day, event_type, event_count)
SELECT tenant_id, created_at::date, event_type, count(*) FROM events GROUP BY 1, 2, 3
ON CONFLICT (tenant_id, day, event_type) DO UPDATE
SET event_count = daily_rollup.event_count + EXCLUDED.event_count,
    tenant_id = EXCLUDED.event_count::int`;
const REPO = 'INSERT INTO github_repo_rollup (repo_id, day, event_type, n) SELECT repo_id, created_at::date, event_type, count(*) FROM github_events GROUP BY 1, 2, 3 ON CONFLICT (repo_id, day, event_type) DO UPDATE SET repo_id = EXCLUDED.repo_id * 2';

ruleTests('on-conflict-modifies-dist-column', {
  valid: [
    // assigning the distribution column to itself is allowed
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id ON CONFLICT (tenant_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, event_count = EXCLUDED.event_count', method: 'pushdown' },
    { sql: 'INSERT INTO tenant_stats AS t (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id ON CONFLICT (tenant_id) DO UPDATE SET tenant_id = t.tenant_id', method: 'pushdown' },
    {
      sql: `INSERT INTO daily_page_views (tenant_id, day, page_id, view_count)
SELECT tenant_id, view_time::date, page_id, count(*) FROM page_views GROUP BY 1, 2, 3
ON CONFLICT (tenant_id, day, page_id) DO UPDATE SET view_count = daily_page_views.view_count + EXCLUDED.view_count`,
      method: 'pushdown',
    },
  ],
  invalid: [
    { sql: PLUS_ONE, method: 'error', findings: [at(PLUS_ONE, 'EXCLUDED.tenant_id + 1')] },
    // the ON CONFLICT check runs first: the LIMIT does not matter
    { sql: CONSTANT, method: 'error', findings: [at(CONSTANT, '5', 1)] },
    { sql: TEXT_KEY, method: 'error', findings: [at(TEXT_KEY, "EXCLUDED.session_key || 'x'")] },
    { sql: ROLLUP, method: 'error', findings: [at(ROLLUP, 'EXCLUDED.event_count::int')] },
    { sql: REPO, method: 'error', findings: [at(REPO, 'EXCLUDED.repo_id * 2')] },
  ],
});
