/**
 * EXPLAIN round trip through our code (two rolled-back transactions, BEGIN, SET LOCAL x2, EXPLAIN JSON / text,
 * ROLLBACK, sent as one query string; notice capture, classification) against a bare `pg` query of the same EXPLAIN (FORMAT JSON) plus text on the same connection
 * kind, on a real embedded PostgreSQL. Target: ratio <= 1.2.
 */
import { Client } from 'pg';
import { loadParser } from '../src/core/parse/libpg';
import { connect, resolveConnection } from '../src/db/connection';
import { explainStatement, prepareSql } from '../src/db/explain';
import { startServer } from '../test/db/pg-server';

const SQL = 'INSERT INTO dst (tenant_id, n) SELECT tenant_id, count(*) FROM src GROUP BY tenant_id';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function run(): Promise<Array<{ name: string; value: number; unit: string; target?: string }>> {
  await loadParser();
  const server = await startServer();
  try {
    const bare = new Client({ host: server.host, port: server.port, user: server.user, password: server.password, database: server.database });
    await bare.connect();
    await bare.query('CREATE TABLE src (tenant_id int, v int); CREATE TABLE dst (tenant_id int PRIMARY KEY, n bigint); INSERT INTO src SELECT g % 50, g FROM generate_series(1, 10000) g; ANALYZE src');
    const session = await connect(await resolveConnection({ host: server.host, port: server.port, user: server.user, database: server.database, sslmode: 'disable' }, server.password));
    const stmt = prepareSql(SQL);
    const rounds = 200;
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < 20; i++) {
      await explainStatement(session, stmt);
      await bare.query(`EXPLAIN (FORMAT JSON) ${SQL}`);
    }
    for (let i = 0; i < rounds; i++) {
      let t = process.hrtime.bigint();
      await bare.query(`EXPLAIN (FORMAT JSON) ${SQL}`);
      await bare.query(`EXPLAIN ${SQL}`);
      theirs.push(Number(process.hrtime.bigint() - t) / 1e6);
      t = process.hrtime.bigint();
      await explainStatement(session, stmt);
      ours.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    await bare.end();
    await session.close();
    const o = median(ours);
    const b = median(theirs);
    return [
      { name: 'explain round trip (ours: BEGIN, SET LOCAL x2, EXPLAIN json+text, ROLLBACK, classify), median', value: Number(o.toFixed(3)), unit: 'ms' },
      { name: 'explain round trip (bare pg: EXPLAIN json+text), median', value: Number(b.toFixed(3)), unit: 'ms' },
      { name: 'explain round trip ratio ours / bare pg', value: Number((o / b).toFixed(2)), unit: 'x', target: '<= 1.2' },
    ];
  } finally {
    await server.stop();
  }
}
