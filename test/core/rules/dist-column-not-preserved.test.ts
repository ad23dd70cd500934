import { strict as assert } from 'node:assert';
import { loadParser } from '../../../src/core/parse/libpg';
import type { Finding } from '../../../src/core/types';
import { at } from './at';
import { analyze, ruleTests } from './harness';

const OPERATOR = `INSERT INTO tenant_stats (tenant_id, event_count)
SELECT tenant_id + 1, count(*)
FROM events
GROUP BY tenant_id`;
const OTHER_COLUMN = 'INSERT INTO events (tenant_id, event_id, created_at) SELECT user_id, event_id, created_at FROM events WHERE user_id IS NOT NULL';
const TYPE_MISMATCH = 'INSERT INTO events_by_user (user_id, tenant_id, event_id) SELECT user_id, tenant_id, event_id FROM events';
const CAST = 'INSERT INTO events_by_user (user_id, tenant_id, event_id) SELECT tenant_id::bigint, tenant_id, event_id FROM events';
const CONSTANT = 'INSERT INTO events (tenant_id, event_id, created_at) SELECT 5, event_id + 700000, created_at FROM events WHERE tenant_id = 5';
const COLUMN_ORDER = 'INSERT INTO tenant_stats (event_count, tenant_id) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id';
const COALESCE = `INSERT INTO daily_page_views (tenant_id, day, page_id, view_count)
SELECT coalesce(tenant_id, 0), view_time::date, page_id, count(*)
FROM page_views
GROUP BY tenant_id, view_time::date, page_id`;
const REFERENCE = 'INSERT INTO tenant_stats (tenant_id) SELECT tenant_id FROM ref_tenants';
const JSON_KEY = "INSERT INTO github_events (event_id, event_type, repo_id, payload, created_at) SELECT event_id + 20000, 'Copy', (payload->>'size')::bigint, payload, created_at FROM github_events";

const NULL_REPARTITION = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT NULL::int, count(*) FROM events GROUP BY tenant_id';
const NULL_PULL = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT NULL, count(*) FROM events GROUP BY event_type';

ruleTests('dist-column-not-preserved', {
  valid: [
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id', method: 'pushdown' },
    // a no-op cast to the same type is still the distribution column
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id::int, count(*) FROM events GROUP BY tenant_id', method: 'pushdown' },
    // carried through a subquery alias
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT x, n FROM (SELECT tenant_id AS x, count(*) AS n FROM events GROUP BY tenant_id) s', method: 'pushdown' },
    // matched by position in the column list, not by name: tenant_id is user_rollup's third column
    { sql: 'INSERT INTO user_rollup SELECT user_id, created_at::date, tenant_id, count(*) FROM events WHERE user_id IS NOT NULL GROUP BY 1, 2, 3', method: 'pushdown' },
    // taken from a colocated table joined on the distribution column
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT u.tenant_id, count(*) FROM events e JOIN users u ON u.tenant_id = e.tenant_id GROUP BY u.tenant_id', method: 'pushdown' },
  ],
  invalid: [
    { sql: OPERATOR, method: 'repartition', findings: [at(OPERATOR, 'tenant_id + 1')] },
    // a NULL distribution value fails every row: while partitioning (repartition) or copying (pull)
    { sql: NULL_REPARTITION, method: 'error', findings: [at(NULL_REPARTITION, 'NULL')] },
    { sql: NULL_PULL, method: 'error', findings: [at(NULL_PULL, 'NULL')] },
    { sql: OTHER_COLUMN, method: 'repartition', findings: [at(OTHER_COLUMN, 'user_id')] },
    // int source column into a bigint distribution column
    { sql: TYPE_MISMATCH, method: 'repartition', findings: [at(TYPE_MISMATCH, 'user_id', 2)] },
    { sql: CAST, method: 'repartition', findings: [at(CAST, 'tenant_id::bigint')] },
    // a constant that equals the router filter is still a constant: pull, not router
    { sql: CONSTANT, method: 'pull_to_coordinator', findings: [at(CONSTANT, '5,')] },
    // the column list puts count(*) in tenant_id's position
    { sql: COLUMN_ORDER, method: 'repartition', findings: [at(COLUMN_ORDER, 'count(*)')] },
    { sql: COALESCE, method: 'repartition', findings: [at(COALESCE, 'coalesce(')] },
    // a reference table's column is not a distribution column
    { sql: REFERENCE, method: 'pull_to_coordinator', findings: [at(REFERENCE, 'tenant_id', 2)] },
    { sql: JSON_KEY, method: 'repartition', findings: [at(JSON_KEY, "payload->>'size'")] },
  ],
});

describe('dist-column-not-preserved advice', () => {
  before(async () => {
    await loadParser();
  });
  const findings = (sql: string): Finding[] => analyze(sql).findings;
  it('on a target that is not colocated with the source, says that no SELECT pushes down and what does', () => {
    // events_by_user is distributed by user_id (bigint), events by tenant_id (integer)
    const all = findings(TYPE_MISMATCH);
    const f = all.find((x) => x.rule === 'dist-column-not-preserved');
    assert.ok(f?.explanation);
    assert.doesNotMatch(f.explanation, /Select the distribution column itself/);
    assert.match(f.explanation, /user_id already is the distribution column of events_by_user/);
    assert.match(f.explanation, /not colocated/);
    assert.match(f.explanation, /colocate_with => 'events'/);
    // Citus' reason stays the first one; the colocation is reported beside it, in our words (and events.user_id
    // is nullable: the NULL-at-run-time warning comes after)
    assert.deepEqual(all.map((x) => x.rule), ['dist-column-not-preserved', 'tables-not-colocated', 'dist-column-null-at-runtime']);
    const [stmt] = analyze(TYPE_MISMATCH).statements;
    assert.equal(stmt.prediction.reasons.length, 2);
    assert.match(stmt.prediction.reasons[0], /The data type of the target table's partition column should exactly match/);
    assert.doesNotMatch(stmt.prediction.reasons.join('\n'), /must be colocated/);
  });
  it('on a colocated target, names the source column to select', () => {
    const f = findings(OPERATOR).find((x) => x.rule === 'dist-column-not-preserved');
    assert.match(f?.explanation ?? '', /Select events\.tenant_id itself in tenant_id's position/);
    assert.ok(!findings(OPERATOR).some((x) => x.rule === 'tables-not-colocated'));
  });
});
