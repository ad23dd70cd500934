/**
 * readExtensions against real servers: the embedded PostgreSQL (no workers; plpgsql installed, hll and pg_cron
 * not shipped) and, with CITUS_TEST_URL, a Citus coordinator and its workers (run_command_on_workers). Looking
 * changes nothing: the read runs in a transaction that is rolled back.
 */
import { strict as assert } from 'node:assert';
import { rollupCapabilities } from '../../src/core/rollup/capabilities';
import { connect, resolveConnection, type Session } from '../../src/db/connection';
import { readExtensions } from '../../src/db/extensions';
import { startServer, type TestServer } from './pg-server';

describe('readExtensions: what a server can install, on the coordinator and every worker', function () {
  this.timeout(60000);

  describe('on the embedded PostgreSQL', () => {
    let server: TestServer;
    let session: Session;
    before(async () => {
      server = await startServer();
      session = await connect(await resolveConnection({ host: server.host, port: server.port, user: server.user, database: server.database, sslmode: 'disable' }, server.password));
    });
    after(async () => {
      await session?.close();
      await server?.stop();
    });

    it('reports the coordinator only, installed and available extensions, and nothing it does not ship', async () => {
      const r = await readExtensions(session, ['plpgsql', 'pg_trgm', 'hll', 'pg_cron']);
      assert.equal(r.nodes.length, 1);
      assert.equal(r.nodes[0].role, 'coordinator');
      assert.equal(r.nodes[0].node, `${server.host}:${server.port}`);
      assert.match(r.nodes[0].extensions.plpgsql?.installed ?? '', /^\d+\.\d+$/, 'plpgsql is installed');
      assert.equal(r.database, server.database);
      assert.equal(r.cronDatabase, null);
      assert.equal(r.nodes[0].extensions.hll, undefined, 'the embedded PostgreSQL has no hll');
      assert.equal(r.nodes[0].extensions.pg_cron, undefined);
      const avail = await session.client.query(`SELECT count(*)::int AS n FROM pg_available_extensions WHERE name = 'pg_trgm'`);
      assert.equal(r.nodes[0].extensions.pg_trgm !== undefined, avail.rows[0].n === 1, 'pg_trgm as pg_available_extensions says');
      const caps = rollupCapabilities(await readExtensions(session));
      assert.equal(caps.hll.usable, false);
      assert.match(caps.hll.reason ?? '', /hll extension is not available on coordinator/);
      assert.equal(caps.cron.usable, false);
      assert.match(caps.cron.reason ?? '', /pg_cron is not available on the coordinator/);
      const tx = await session.client.query(`SHOW transaction_read_only`);
      assert.equal(tx.rows[0].transaction_read_only, 'off', 'the read-only transaction was closed');
    });
  });

  describe('on a Citus cluster (CITUS_TEST_URL)', () => {
    const url = process.env.CITUS_TEST_URL;
    let session: Session;
    before(async function () {
      if (!url) {
        console.log('    (skipped: set CITUS_TEST_URL=postgres://... to read the extensions of a Citus coordinator and its workers)');
        this.skip();
      }
      session = await connect(await resolveConnection({ uri: url }));
    });
    after(async () => {
      await session?.close();
    });

    it('asks every worker, and agrees with each node\'s own pg_available_extensions', async () => {
      const r = await readExtensions(session, ['citus', 'plpgsql', 'hll', 'pg_cron']);
      const workers = await session.client.query(`SELECT nodename || ':' || nodeport AS n FROM pg_dist_node WHERE groupid <> 0 AND isactive AND noderole = 'primary' ORDER BY nodename, nodeport`);
      assert.deepEqual(r.nodes.filter((n) => n.role === 'worker').map((n) => n.node), workers.rows.map((x) => x.n));
      assert.ok(r.nodes.length >= 2);
      for (const n of r.nodes) {
        assert.equal(n.error, undefined);
        assert.ok(n.extensions.citus?.installed, `citus installed on ${n.node}`);
      }
      const { Client } = await import('pg');
      for (const n of r.nodes) {
        const [host, port] = n.node.split(':');
        const u = new URL(url!);
        u.hostname = host;
        u.port = port;
        const c = new Client({ connectionString: u.toString() });
        await c.connect();
        try {
          const own = await c.query(`SELECT name FROM pg_available_extensions WHERE name IN ('hll', 'pg_cron') ORDER BY 1`);
          assert.deepEqual(Object.keys(n.extensions).filter((k) => k === 'hll' || k === 'pg_cron').sort(), own.rows.map((x) => x.name), n.node);
        } finally {
          await c.end();
        }
      }
      const caps = rollupCapabilities(r);
      const hllEverywhere = r.nodes.every((n) => n.extensions.hll);
      assert.equal(caps.hll.usable, hllEverywhere);
      if (!hllEverywhere) assert.match(caps.hll.reason ?? '', /the hll extension is not available on /);
    });
  });
});
