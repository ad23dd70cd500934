import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { at } from './at';
import { analyze, ruleTests } from './harness';
import { loadParser } from '../../../src/core/parse/libpg';

// Each statement was run on Citus 13.2.2 after the corpus schema and data (test/fixtures/probes/sql/upsert-keys.sql):
// the invalid ones fail with `ON CONFLICT DO UPDATE command cannot affect row a second time`, the valid ones run.
const EXTRA_GROUP = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id, user_id ON CONFLICT (tenant_id) DO UPDATE SET event_count = excluded.event_count';
const ROLLUP = 'INSERT INTO daily_rollup (tenant_id, day, event_type, event_count) SELECT tenant_id, created_at::date, event_type, count(*) FROM events GROUP BY tenant_id, created_at::date, event_type, user_id ON CONFLICT (tenant_id, day, event_type) DO UPDATE SET event_count = daily_rollup.event_count + excluded.event_count';
const ROWS = 'INSERT INTO tenant_stats (tenant_id, last_seen) SELECT tenant_id, created_at FROM users ON CONFLICT (tenant_id) DO UPDATE SET last_seen = excluded.last_seen';
const CAST_OF_COLUMN = 'INSERT INTO daily_rollup (tenant_id, day, event_type, event_count) SELECT tenant_id, created_at::date, event_type, count(*) FROM events GROUP BY tenant_id, created_at, event_type ON CONFLICT (tenant_id, day, event_type) DO UPDATE SET event_count = excluded.event_count';
const DISTINCT = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT DISTINCT tenant_id, user_id FROM events ON CONFLICT (tenant_id) DO UPDATE SET event_count = excluded.event_count';

ruleTests('upsert-key-not-unique', {
  valid: [
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id ON CONFLICT (tenant_id) DO UPDATE SET event_count = excluded.event_count' },
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT DISTINCT ON (tenant_id) tenant_id, user_id FROM events ORDER BY tenant_id, user_id ON CONFLICT (tenant_id) DO UPDATE SET event_count = excluded.event_count' },
    // a column of a table whose primary key is grouped (through JOIN .. USING, or ON equalities)
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events e JOIN ref_tenants r USING (tenant_id) GROUP BY tenant_id, r.plan ON CONFLICT (tenant_id) DO UPDATE SET event_count = excluded.event_count' },
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events e JOIN ref_tenants r ON r.tenant_id = e.tenant_id GROUP BY e.tenant_id, r.tenant_id, r.tenant_name ON CONFLICT (tenant_id) DO UPDATE SET event_count = excluded.event_count' },
    // rows of a table with their primary key in the conflict key (a constant for the rest), or pinned by the WHERE
    { sql: 'INSERT INTO user_rollup (user_id, day, tenant_id, cnt) SELECT user_id, current_date, tenant_id, 1 FROM users ON CONFLICT (tenant_id, user_id, day) DO UPDATE SET cnt = user_rollup.cnt + excluded.cnt' },
    { sql: 'INSERT INTO tenant_stats (tenant_id, last_seen) SELECT tenant_id, created_at FROM users WHERE user_id = 1 ON CONFLICT (tenant_id) DO UPDATE SET last_seen = excluded.last_seen' },
    { sql: 'INSERT INTO user_rollup (user_id, day, tenant_id, cnt) SELECT user_id, created_at::date, tenant_id, count(*) FROM events WHERE user_id IS NOT NULL GROUP BY 1, 2, 3 ON CONFLICT (tenant_id, user_id, day) DO UPDATE SET cnt = user_rollup.cnt + excluded.cnt' },
    // a cast of a grouped expression, a cast of a grouped column that keeps its values apart (timestamp to date, below,
    // merges them)
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id::bigint, count(*) FROM events GROUP BY tenant_id ON CONFLICT (tenant_id) DO UPDATE SET event_count = excluded.event_count' },
    { sql: "INSERT INTO daily_rollup (tenant_id, day, event_type, event_count) SELECT tenant_id, date_trunc('day', created_at)::date, event_type, count(*) FROM events GROUP BY tenant_id, date_trunc('day', created_at), event_type ON CONFLICT (tenant_id, day, event_type) DO UPDATE SET event_count = excluded.event_count" },
    // DO NOTHING skips the second row; a table without a declared key (events) says nothing about its rows
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id, user_id ON CONFLICT (tenant_id) DO NOTHING' },
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, user_id FROM events ON CONFLICT (tenant_id) DO UPDATE SET event_count = excluded.event_count' },
  ],
  invalid: [
    { sql: EXTRA_GROUP, method: 'pushdown', findings: [at(EXTRA_GROUP, 'user_id ON')] },
    { sql: ROLLUP, method: 'pushdown', findings: [at(ROLLUP, 'user_id ON')] },
    { sql: ROWS, findings: [at(ROWS, 'users')] },
    { sql: DISTINCT, findings: [at(DISTINCT, 'user_id FROM')] },
    { sql: CAST_OF_COLUMN, findings: [at(CAST_OF_COLUMN, 'created_at, event_type ON')] },
  ],
});

describe('rule upsert-key-not-unique on the recorded probe file', () => {
  before(loadParser);
  it('warns on exactly the statements that failed with "cannot affect row a second time" on Citus 13.2.2', () => {
    const dir = path.join(__dirname, '..', '..', 'fixtures');
    const schema = fs.readFileSync(path.join(dir, 'citus-corpus', 'schema.sql'), 'utf8');
    const sql = fs.readFileSync(path.join(dir, 'probes', 'sql', 'upsert-keys.sql'), 'utf8');
    const recorded = fs.readFileSync(path.join(dir, 'probes', 'insert-select.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.file === 'upsert-keys.sql');
    const statements = sql.split('\n').filter((l) => l.startsWith('INSERT'));
    assert.equal(recorded.length, statements.length);
    for (const r of recorded) {
      const failed = String(r.data_dependent_error ?? r.error ?? '').includes('cannot affect row a second time');
      const warned = analyze(statements[r.n], schema).findings.some((f) => f.rule === 'upsert-key-not-unique');
      assert.equal(warned, failed, `${statements[r.n]}: recorded ${failed ? 'failed' : 'ran'}`);
    }
  });
});
