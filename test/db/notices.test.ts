/** What the EXPLAIN panel lists of the server's DEBUG notices (pure: src/db/explain.ts noticeCollector). */
import { strict as assert } from 'node:assert';
import { noticeCollector } from '../../src/db/explain';

describe('EXPLAIN notices', () => {
  it("lists Citus' reasons once, counts per-shard messages and drops PostgreSQL's catalog-cache chatter", () => {
    const c = noticeCollector();
    c.add({ severity: 'DEBUG', message: 'rehashing catalog cache id 14 for pg_opclass; 17 tups, 8 buckets' });
    c.add({ severity: 'DEBUG', message: 'cannot push down this subquery', detail: 'Limit clause is currently unsupported when a subquery references a column from another query' });
    for (let i = 0; i < 3; i++) c.add({ severity: 'DEBUG', message: `distributed statement: INSERT INTO t_10${i} ...` });
    c.add({ severity: 'DEBUG', message: 'cannot push down this subquery', detail: 'Limit clause is currently unsupported when a subquery references a column from another query' });
    c.add({ severity: 'WARNING', message: 'something to know' });
    assert.deepEqual(c.reasons, ['DEBUG:  cannot push down this subquery\nDETAIL:  Limit clause is currently unsupported when a subquery references a column from another query']);
    assert.deepEqual(c.suppressed, { 'distributed statement:': 3 });
    assert.deepEqual(c.notices, ['WARNING:  something to know']);
  });
});
