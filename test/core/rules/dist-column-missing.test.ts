import { strict as assert } from 'node:assert';
import { loadParser } from '../../../src/core/parse/libpg';
import { at } from './at';
import { ruleTests } from './harness';
import { analyze } from './harness';

const EVENTS_8 = 'INSERT INTO events_8 (event_id, event_type) SELECT event_id, event_type FROM events_8';
const SESSIONS = 'INSERT INTO sessions (tenant_id, duration) SELECT tenant_id, duration FROM sessions';
const PAGE_VIEWS = `INSERT INTO daily_page_views (day, page_id, view_count)
SELECT view_time::date, page_id, count(*)
FROM page_views
GROUP BY view_time::date, page_id`;
// an incremental rollup that forgot the tenant: GROUP BY and column list both lack it
const ROLLUP_UPSERT = `INSERT INTO daily_rollup (day, event_type, event_count, total_value)
SELECT created_at::date, event_type, count(*), sum(value)
FROM events
WHERE created_at >= date_trunc('day', now())
GROUP BY created_at::date, event_type
ON CONFLICT (tenant_id, day, event_type) DO UPDATE
SET event_count = daily_rollup.event_count + EXCLUDED.event_count,
    total_value = daily_rollup.total_value + EXCLUDED.total_value`;
// no column list, and the SELECT stops before the distribution column (user_rollup's third column)
const NARROW = 'INSERT INTO user_rollup SELECT user_id, created_at::date FROM events';
const SET_OP = 'INSERT INTO tenant_stats (event_count) SELECT 1 UNION ALL SELECT 2';

ruleTests('dist-column-missing', {
  valid: [
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id', method: 'pushdown' },
    // no column list: the SELECT fills every column, the distribution column first
    { sql: 'INSERT INTO rollup_8 SELECT tenant_id, count(*) FROM events_8 GROUP BY tenant_id', method: 'pushdown' },
    // the distribution column is the third column of user_rollup
    { sql: 'INSERT INTO user_rollup (user_id, day, tenant_id, cnt) SELECT user_id, created_at::date, tenant_id, count(*) FROM events WHERE user_id IS NOT NULL GROUP BY 1, 2, 3', method: 'pushdown' },
    // present but from another column: a different rule (dist-column-not-preserved)
    { sql: 'INSERT INTO events (tenant_id, event_id, created_at) SELECT user_id, event_id, created_at FROM events WHERE user_id IS NOT NULL', method: 'repartition' },
  ],
  invalid: [
    {
      sql: EVENTS_8,
      method: 'error',
      findings: [at(EVENTS_8, 'event_id, event_type')],
      output: 'INSERT INTO events_8 (tenant_id, event_id, event_type) SELECT tenant_id, event_id, event_type FROM events_8',
    },
    {
      sql: SESSIONS,
      method: 'error',
      findings: [at(SESSIONS, 'tenant_id, duration')],
      output: 'INSERT INTO sessions (session_key, tenant_id, duration) SELECT session_key, tenant_id, duration FROM sessions',
    },
    {
      sql: PAGE_VIEWS,
      method: 'error',
      findings: [at(PAGE_VIEWS, 'day, page_id')],
      output: `INSERT INTO daily_page_views (tenant_id, day, page_id, view_count)
SELECT tenant_id, view_time::date, page_id, count(*)
FROM page_views
GROUP BY tenant_id, view_time::date, page_id`,
    },
    {
      sql: ROLLUP_UPSERT,
      method: 'error',
      findings: [at(ROLLUP_UPSERT, 'day, event_type')],
      output: ROLLUP_UPSERT.replace('(day,', '(tenant_id, day,').replace('SELECT created_at', 'SELECT tenant_id, created_at').replace('GROUP BY created_at', 'GROUP BY tenant_id, created_at'),
    },
    // without a column list the finding is on the table name, and no fix is offered
    { sql: NARROW, method: 'error', findings: [at(NARROW, 'user_rollup')] },
    // every row fails even though the SELECT runs on the coordinator
    { sql: SET_OP, method: 'error', findings: [at(SET_OP, 'event_count')] },
  ],
});

// An ordinal GROUP BY keeps its meaning: the fix appends the distribution column at the end of the
// column list, the SELECT list and the GROUP BY.
const ORDINAL = `INSERT INTO daily_page_views (day, page_id, view_count)
SELECT view_time::date, page_id, count(*)
FROM page_views
GROUP BY 1, 2`;
describe('dist-column-missing fix with an ordinal GROUP BY', () => {
  ruleTests('dist-column-missing', {
    valid: [],
    invalid: [
      {
        sql: ORDINAL,
        method: 'error',
        findings: [at(ORDINAL, 'day, page_id')],
        output: `INSERT INTO daily_page_views (day, page_id, view_count, tenant_id)
SELECT view_time::date, page_id, count(*), tenant_id
FROM page_views
GROUP BY 1, 2, tenant_id`,
      },
    ],
  });
});

// An aggregate-only SELECT without GROUP BY gets no fix: adding the column would need a GROUP BY
// and change what is counted.
const AGG_ONLY = 'INSERT INTO tenant_stats (event_count) SELECT count(*) FROM events e JOIN users u ON u.tenant_id = e.tenant_id AND u.user_id = e.user_id';
describe('dist-column-missing offers no fix on an aggregate without GROUP BY', () => {
  ruleTests('dist-column-missing', {
    valid: [],
    invalid: [
      {
        sql: AGG_ONLY,
        method: 'error',
        findings: [at(AGG_ONLY, 'event_count')],
      },
    ],
  });
  it('carries no fix', async () => {
    await loadParser();
    const f = analyze(AGG_ONLY).findings.find((x) => x.rule === 'dist-column-missing');
    assert.ok(f);
    assert.equal(f.fix, undefined);
  });
});
