import { at } from './at';
import { ruleTests } from './harness';

const MATERIALIZED = 'INSERT INTO tenant_stats (tenant_id, event_count) WITH c AS MATERIALIZED (SELECT tenant_id, count(*) AS n FROM events GROUP BY tenant_id) SELECT tenant_id, n FROM c';
// a CTE referenced twice is not inlined
const TWICE = 'INSERT INTO tenant_stats (tenant_id, event_count) WITH c AS (SELECT tenant_id, count(*) AS n FROM events GROUP BY tenant_id) SELECT a.tenant_id, a.n + b.n FROM c a JOIN c b ON a.tenant_id = b.tenant_id';
// a day series up to now(): the function is STABLE, not immutable
const SERIES = `INSERT INTO daily_rollup (tenant_id, day, event_type, event_count)
SELECT e.tenant_id, d::date, e.event_type, count(*)
FROM events e, generate_series(now() - interval '7 days', now(), interval '1 day') d
WHERE e.created_at >= d AND e.created_at < d + interval '1 day'
GROUP BY e.tenant_id, d, e.event_type`;
const FROMLESS = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events e JOIN (SELECT now() AS ts) x ON e.created_at < x.ts GROUP BY e.tenant_id';
const RECURSIVE = 'INSERT INTO tenant_stats (tenant_id, event_count) WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT e.tenant_id, count(*) FROM events e JOIN r ON r.n = e.user_id GROUP BY e.tenant_id';

const STABLE_SERIES = `INSERT INTO daily_rollup (tenant_id, day, event_type, event_count)
SELECT e.tenant_id, d::date, e.event_type, count(*)
FROM events e, generate_series(timestamptz '2024-01-01', timestamptz '2024-01-07', interval '1 day') d
WHERE e.created_at >= d AND e.created_at < d + interval '1 day'
GROUP BY e.tenant_id, d, e.event_type`;

ruleTests('subquery-blocks-pushdown', {
  valid: [
    // a CTE inside the SELECT, referenced once, is inlined
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) WITH c AS (SELECT tenant_id, count(*) AS n FROM events GROUP BY tenant_id) SELECT tenant_id, n FROM c', method: 'pushdown' },
    // immutable set-returning function with constant bounds (of timestamp: of timestamptz it is STABLE, checked on
    // Citus 13.2.2, and planned on its own: the invalid STABLE_SERIES)
    {
      sql: `INSERT INTO daily_rollup (tenant_id, day, event_type, event_count)
SELECT e.tenant_id, d::date, e.event_type, count(*)
FROM events e, generate_series(timestamp '2024-01-01', timestamp '2024-01-07', interval '1 day') d
WHERE e.created_at >= d AND e.created_at < d + interval '1 day'
GROUP BY e.tenant_id, d, e.event_type`,
      method: 'pushdown',
    },
    // a small immutable VALUES list
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events e JOIN (VALUES (1), (2)) v(t) ON v.t = e.tenant_id GROUP BY e.tenant_id', method: 'pushdown' },
  ],
  invalid: [
    { sql: MATERIALIZED, method: 'pull_to_coordinator', findings: [at(MATERIALIZED, 'FROM c', 1, 5)] },
    { sql: TWICE, method: 'pull_to_coordinator', findings: [at(TWICE, 'FROM c a', 1, 5)] },
    { sql: SERIES, findings: [at(SERIES, 'generate_series(')] },
    { sql: STABLE_SERIES, method: 'repartition', findings: [at(STABLE_SERIES, 'generate_series(')] },
    { sql: FROMLESS, findings: [at(FROMLESS, 'now()')] },
    // planned on its own, a WITH RECURSIVE over a multi-shard query is refused (RecursivelyPlanCTEs)
    { sql: RECURSIVE, method: 'error', findings: [at(RECURSIVE, 'JOIN r', 1, 5), at(RECURSIVE, 'r(n)')] },
  ],
});

// regression (fixed in the predictor after these tables found it): FOR UPDATE in the SELECT of a multi-shard INSERT..SELECT. (1) The method: Citus
// first rejects pushdown ("For Update/Share commands are currently unsupported"), then planning the
// SELECT on its own fails with ERROR "could not run distributed query with FOR UPDATE/SHARE
// commands" (HINT "Consider using an equality filter on the distributed table's partition column.";
// rules note §4 step 3, DML corpus select_for_update-04): expected `error`, predicted `repartition`.
// (2) The range is the whole statement: keywordRange('FOR', lockingClause[0]) gets a node without
// a location, so it falls back to statementRange(); expected the FOR keyword.
const FOR_UPDATE = 'INSERT INTO events (tenant_id, event_id, created_at) SELECT tenant_id, event_id + 1, created_at FROM events FOR UPDATE';
describe('regression: FOR UPDATE in a multi-shard INSERT..SELECT', () => {
  ruleTests('subquery-blocks-pushdown', {
    valid: [],
    invalid: [{ sql: FOR_UPDATE, method: 'error', findings: [at(FOR_UPDATE, 'FOR UPDATE')] }],
  });
});

// SEARCH and CYCLE clauses of a recursive CTE with Citus tables (src/core/planner/cte-clauses.ts). Each was run on
// Citus 13.2.2: SEARCH fails with the recursive planner's error even over a reference table, CYCLE on a statement of
// one router task fails on the shard (`column reference "cyc" is ambiguous`), both run over plain tables.
const SEARCH_REFERENCE = 'WITH RECURSIVE sg(tenant_id, depth) AS (SELECT tenant_id, 0 FROM ref_tenants WHERE tenant_id = 1 UNION ALL SELECT r.tenant_id, sg.depth + 1 FROM ref_tenants r JOIN sg ON r.tenant_id = sg.tenant_id + 1 WHERE sg.depth < 3) SEARCH DEPTH FIRST BY tenant_id SET seq SELECT count(*) FROM sg';
const SEARCH_DELETE = 'WITH RECURSIVE sg(tenant_id, depth) AS (SELECT tenant_id, 0 FROM events WHERE tenant_id = 1 UNION ALL SELECT e.tenant_id, sg.depth + 1 FROM events e JOIN sg ON e.tenant_id = sg.tenant_id WHERE e.tenant_id = 1 AND sg.depth < 3) SEARCH BREADTH FIRST BY tenant_id SET seq DELETE FROM events WHERE tenant_id = 1 AND user_id IN (SELECT depth FROM sg)';
const CYCLE_ONE_SHARD = 'WITH RECURSIVE sg(tenant_id, depth) AS (SELECT tenant_id, 0 FROM events WHERE tenant_id = 1 UNION ALL SELECT e.tenant_id, sg.depth + 1 FROM events e JOIN sg ON e.tenant_id = sg.tenant_id WHERE e.tenant_id = 1 AND sg.depth < 3) CYCLE tenant_id SET cyc USING path SELECT count(*) FROM sg';
const SEARCH_INSERT = 'INSERT INTO tenant_stats (tenant_id, event_count) WITH RECURSIVE sg(tenant_id, depth) AS (SELECT tenant_id, 0 FROM ref_tenants WHERE tenant_id = 1 UNION ALL SELECT r.tenant_id, sg.depth + 1 FROM ref_tenants r JOIN sg ON r.tenant_id = sg.tenant_id + 1 WHERE sg.depth < 3) SEARCH DEPTH FIRST BY tenant_id SET seq SELECT tenant_id, depth FROM sg';
describe('recursive CTEs with SEARCH or CYCLE on Citus tables', () => {
  ruleTests('subquery-blocks-pushdown', {
    valid: [
      { sql: 'WITH RECURSIVE sg(tenant_id, depth) AS (SELECT tenant_id, 0 FROM local_config WHERE tenant_id = 1 UNION ALL SELECT c.tenant_id, sg.depth + 1 FROM local_config c JOIN sg ON c.tenant_id = sg.tenant_id + 1 WHERE sg.depth < 3) SEARCH DEPTH FIRST BY tenant_id SET seq SELECT count(*) FROM sg', outcome: 'local' },
      { sql: 'WITH RECURSIVE sg(tenant_id, depth) AS (SELECT tenant_id, 0 FROM events WHERE tenant_id = 1 UNION ALL SELECT e.tenant_id, sg.depth + 1 FROM events e JOIN sg ON e.tenant_id = sg.tenant_id WHERE e.tenant_id = 1 AND sg.depth < 3) SELECT count(*) FROM sg', outcome: 'single_shard' },
    ],
    invalid: [
      { sql: SEARCH_REFERENCE, outcome: 'error', findings: [at(SEARCH_REFERENCE, 'SEARCH')] },
      { sql: SEARCH_DELETE, outcome: 'error', findings: [at(SEARCH_DELETE, 'SEARCH')] },
      { sql: CYCLE_ONE_SHARD, outcome: 'error', findings: [at(CYCLE_ONE_SHARD, 'CYCLE')] },
      { sql: SEARCH_INSERT, method: 'error', findings: [at(SEARCH_INSERT, 'SEARCH')] },
    ],
  });
});

// A subquery in LIMIT or OFFSET of a multi-shard query (DeferErrorIfQueryNotSupported's IsNodeSubquery), of the
// statement or of a subquery planned on its own; a router query takes it. Each was run on Citus 13.2.2 (probe
// limit-subqueries.sql).
const LIMIT_SUBQUERY = 'SELECT * FROM events LIMIT (SELECT 1)';
const OFFSET_SUBQUERY = 'SELECT * FROM events LIMIT 5 OFFSET 1 + (SELECT count(*) FROM users)';
const LIMIT_IN_SUBLINK = 'SELECT * FROM events WHERE tenant_id IN (SELECT tenant_id FROM users LIMIT (SELECT 1))';
const LIMIT_INSERT = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, 1 FROM events LIMIT (SELECT 1)';
describe('a subquery in LIMIT or OFFSET of a multi-shard query', () => {
  ruleTests('subquery-blocks-pushdown', {
    valid: [
      { sql: 'SELECT * FROM events WHERE tenant_id = 1 LIMIT (SELECT 1)', outcome: 'single_shard' },
      { sql: 'SELECT * FROM ref_tenants LIMIT (SELECT 1)' },
      { sql: 'SELECT * FROM local_config LIMIT (SELECT count(*) FROM events)' },
    ],
    invalid: [
      { sql: LIMIT_SUBQUERY, outcome: 'error', findings: [at(LIMIT_SUBQUERY, '(SELECT 1)')] },
      { sql: OFFSET_SUBQUERY, outcome: 'error', findings: [at(OFFSET_SUBQUERY, '(SELECT count')] },
      { sql: LIMIT_IN_SUBLINK, outcome: 'error', findings: [at(LIMIT_IN_SUBLINK, '(SELECT 1)')] },
      { sql: LIMIT_INSERT, method: 'error', findings: [at(LIMIT_INSERT, '(SELECT 1)')] },
    ],
  });
});

// A set-returning SQL function over a Citus table in FROM, which PostgreSQL inlines after Citus planned the statement
// (src/core/planner/inlinedFunctions.ts). Each was run on Citus 13.2.2 (probe inlined-functions-over-citus.sql).
const ROWS = "CREATE FUNCTION sb_rows(t int) RETURNS TABLE (event_id bigint, amount numeric) LANGUAGE sql STABLE AS $$ SELECT event_id, value FROM events WHERE tenant_id = t $$;\n";
const INLINED = `${ROWS}SELECT * FROM sb_rows(1)`;
const INLINED_IN_SUBLINK = `${ROWS}SELECT * FROM local_config WHERE tenant_id IN (SELECT event_id FROM sb_rows(1))`;
const INLINED_REFERENCE = "CREATE FUNCTION sb_ref() RETURNS SETOF ref_tenants LANGUAGE sql IMMUTABLE BEGIN ATOMIC SELECT * FROM ref_tenants; END;\nSELECT * FROM sb_ref()";
const INLINED_INSERT = "CREATE FUNCTION sb_all() RETURNS SETOF events LANGUAGE sql STABLE AS 'SELECT * FROM events';\nINSERT INTO daily_rollup (tenant_id, day, event_type, event_count) SELECT tenant_id, created_at::date, event_type, 1 FROM sb_all()";
describe('a SQL function over a Citus table that PostgreSQL inlines in FROM', () => {
  ruleTests('subquery-blocks-pushdown', {
    valid: [
      // executed, not inlined: VOLATILE, STRICT, SECURITY DEFINER, a SET clause, PL/pgSQL, WITH ORDINALITY, the target list
      { sql: "CREATE FUNCTION sb_v(t int) RETURNS SETOF events LANGUAGE sql AS $$ SELECT * FROM events WHERE tenant_id = t $$;\nSELECT * FROM sb_v(1)", outcome: 'local' },
      { sql: "CREATE FUNCTION sb_s(t int) RETURNS SETOF events LANGUAGE sql STABLE STRICT AS $$ SELECT * FROM events WHERE tenant_id = t $$;\nSELECT * FROM sb_s(1)", outcome: 'local' },
      { sql: "CREATE FUNCTION sb_d(t int) RETURNS SETOF events LANGUAGE sql STABLE SECURITY DEFINER SET work_mem = '64MB' AS $$ SELECT * FROM events WHERE tenant_id = t $$;\nSELECT * FROM sb_d(1)", outcome: 'local' },
      { sql: `${ROWS}SELECT * FROM sb_rows(1) WITH ORDINALITY`, outcome: 'local' },
      { sql: "CREATE FUNCTION sb_l() RETURNS SETOF local_config LANGUAGE sql STABLE AS $$ SELECT * FROM local_config $$;\nSELECT * FROM sb_l()", outcome: 'local' },
      // a CTE no one reads is not planned
      { sql: `${ROWS}WITH c AS (SELECT * FROM sb_rows(1)) SELECT 1`, outcome: 'local' },
    ],
    invalid: [
      { sql: INLINED, outcome: 'error', findings: [at(INLINED, 'sb_rows(1)')] },
      { sql: INLINED_IN_SUBLINK, outcome: 'error', findings: [at(INLINED_IN_SUBLINK, 'sb_rows(1)')] },
      { sql: INLINED_REFERENCE, outcome: 'error', findings: [at(INLINED_REFERENCE, 'sb_ref()', 2)] },
      { sql: INLINED_INSERT, method: 'error', findings: [at(INLINED_INSERT, 'sb_all()', 2)] },
    ],
  });
});
