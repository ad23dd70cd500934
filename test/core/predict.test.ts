/**
 * Predictor cases beyond the corpus and the rule tables: each one a bug found and fixed.
 */
import { strict as assert } from 'node:assert';
import { loadParser } from '../../src/core/parse/libpg';
import { analyze, firstMethod } from './rules/harness';

describe('predictor edge cases', () => {
  before(async () => {
    await loadParser();
  });

  it('reads a TABLESAMPLE relation like the table itself', () => {
    assert.equal(firstMethod('INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events TABLESAMPLE SYSTEM (10) GROUP BY tenant_id'), 'pushdown');
  });

  it('treats a psql :variable as a value, so a filter on it pins one shard', () => {
    const sql = "\\set t 5\nINSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events WHERE tenant_id = :t GROUP BY tenant_id;";
    assert.equal(firstMethod(sql), 'router');
  });

  it('does not let a FROM subquery see its sibling FROM items (malformed input terminates)', () => {
    const sql = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT s.tenant_id, s.c FROM (SELECT tenant_id, count(*) c FROM events GROUP BY tenant_id) s JOIN (SELECT tenan UNION ALL SELECT 1 t_id FROM users GROUP BY tenant_id) u ON tenant_id = s.tenant_id';
    assert.ok(firstMethod(sql));
  });
});

describe('correlated subqueries and recurring FROM clauses', () => {
  before(async () => {
    await loadParser();
  });

  it('pushes down a semi-join from a distributed table to a reference table', () => {
    assert.equal(
      firstMethod("INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events WHERE EXISTS (SELECT 1 FROM ref_tenants r WHERE r.tenant_id = events.tenant_id AND r.plan = 'pro') GROUP BY tenant_id"),
      'pushdown',
    );
  });

  it('refuses a correlated subquery over a distributed table under a reference-only FROM', () => {
    const a = analyze('INSERT INTO tenant_stats (tenant_id) SELECT r.tenant_id FROM ref_tenants r WHERE EXISTS (SELECT 1 FROM events e WHERE e.tenant_id = r.tenant_id)');
    const s = a.statements[0];
    assert.equal(s.prediction.method, 'error');
    assert.ok(s.prediction.reasons.some((r) => r.startsWith('ERROR:  correlated subqueries are not supported when the FROM clause contains a reference table')));
  });
});
