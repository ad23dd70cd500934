/**
 * Predictor cases beyond the corpus and the rule tables: each one a bug found and fixed.
 */
import { strict as assert } from 'node:assert';
import { loadParser } from '../../src/core/parse/libpg';
import { firstMethod } from './rules/harness';

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
