import { strict as assert } from 'node:assert';
import { loadParser } from '../../../src/core/parse/libpg';
import { at } from './at';
import { analyze, ruleTests } from './harness';

const UNION = 'INSERT INTO tenant_stats (tenant_id) SELECT tenant_id FROM events UNION SELECT tenant_id FROM users';
const UNION_ALL = `INSERT INTO events (tenant_id, event_id, created_at)
SELECT tenant_id, event_id + 400000, created_at FROM events
UNION ALL
SELECT tenant_id, event_id + 800000, created_at FROM events_part`;
const INTERSECT = 'INSERT INTO tenant_stats (tenant_id) SELECT tenant_id FROM events INTERSECT SELECT tenant_id FROM users';
const EXCEPT = 'INSERT INTO tenant_stats (tenant_id) SELECT tenant_id FROM events EXCEPT SELECT tenant_id FROM users';
const NOT_ALIGNED = 'INSERT INTO tenant_stats (tenant_id) SELECT tenant_id FROM (SELECT tenant_id FROM events UNION SELECT user_id FROM users) u';
const NOT_COLOCATED = 'INSERT INTO tenant_stats (tenant_id) SELECT tenant_id FROM events UNION SELECT tenant_id FROM orders_nc';

const NESTED_EXCEPT = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, 1 FROM ((SELECT tenant_id FROM events EXCEPT SELECT tenant_id FROM users) UNION SELECT tenant_id FROM users) s ON CONFLICT (tenant_id) DO NOTHING';

ruleTests('set-operation-blocks-pushdown', {
  valid: [
    // the UNION inside a FROM subquery, distribution column in the same position in every branch
    { sql: 'INSERT INTO tenant_stats (tenant_id) SELECT * FROM (SELECT tenant_id FROM events UNION SELECT tenant_id FROM users) u', method: 'pushdown' },
    {
      sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM (SELECT tenant_id FROM events UNION ALL SELECT tenant_id FROM users) u GROUP BY tenant_id',
      method: 'pushdown',
    },
    // a UNION in a WHERE subquery is not a set operation of the SELECT
    { sql: 'INSERT INTO tenant_stats (tenant_id) SELECT tenant_id FROM events e WHERE EXISTS (SELECT 1 FROM users u WHERE u.tenant_id = e.tenant_id)', method: 'pushdown' },
  ],
  invalid: [
    // an EXCEPT nested in the UNION of a FROM subquery (Citus 13.2.2: probes/sql/dml-ctes-and-nested-set-operations.sql)
    { sql: NESTED_EXCEPT, method: 'pull_to_coordinator', findings: [at(NESTED_EXCEPT, 'EXCEPT')] },
    {
      sql: UNION,
      method: 'repartition',
      findings: [at(UNION, 'UNION')],
      output: 'INSERT INTO tenant_stats (tenant_id) SELECT * FROM (SELECT tenant_id FROM events UNION SELECT tenant_id FROM users) u',
    },
    {
      sql: UNION_ALL,
      method: 'repartition',
      findings: [at(UNION_ALL, 'UNION ALL')],
      output: `INSERT INTO events (tenant_id, event_id, created_at)
SELECT * FROM (SELECT tenant_id, event_id + 400000, created_at FROM events
UNION ALL
SELECT tenant_id, event_id + 800000, created_at FROM events_part) u`,
    },
    { sql: INTERSECT, method: 'pull_to_coordinator', findings: [at(INTERSECT, 'INTERSECT')] },
    { sql: EXCEPT, method: 'pull_to_coordinator', findings: [at(EXCEPT, 'EXCEPT')] },
    // UNION in a FROM subquery with the distribution column in different positions
    { sql: NOT_ALIGNED, method: 'pull_to_coordinator', findings: [at(NOT_ALIGNED, 'UNION')] },
    { sql: NOT_COLOCATED, method: 'pull_to_coordinator', findings: [at(NOT_COLOCATED, 'UNION')] },
  ],
});

// No wrap fix where it would not help: for INTERSECT / EXCEPT and for branches of non-colocated
// tables the wrapped statement would still be pulled.
describe('set-operation-blocks-pushdown offers no fix that does not help', () => {
  before(async () => {
    await loadParser();
  });
  for (const sql of [INTERSECT, EXCEPT, NOT_COLOCATED]) {
    it(`no wrap fix where it would not help: ${sql.slice(37, 110)}`, () => {
      const f = analyze(sql).findings.find((x) => x.rule === 'set-operation-blocks-pushdown');
      assert.ok(f);
      assert.equal(f.fix, undefined);
    });
  }
});

describe('set-operation-blocks-pushdown wording', () => {
  before(async () => {
    await loadParser();
  });
  it('leads with what the statement has (a top-level UNION ALL), then quotes Citus, whose words speak of joins', () => {
    const a = analyze(UNION_ALL);
    const f = a.findings.find((x) => x.rule === 'set-operation-blocks-pushdown');
    assert.ok(f);
    assert.match(f.message, /^The set operation blocks pushdown: a top-level UNION ALL is not pushed down \(Citus says: "complex joins are only supported/);
    // Citus' own reason is unchanged
    assert.match(a.statements[0].prediction.reasons[0], /^DEBUG: {2}complex joins are only supported/);
  });
});
