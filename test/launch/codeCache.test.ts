/**
 * The bundles' code cache (src/launch/codeCache.ts): a second run reads the compiled code back, a cache that does
 * not fit is replaced, and a cache folder other users can write is never used.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { loadBundle } from '../../src/launch/codeCache';

const LOADER = path.join(__dirname, '..', '..', 'src', 'launch', 'codeCache.ts');

/** Loads the bundle in a fresh process (a new V8, as every run of the CLI is) and saves its cache. */
function loadInProcess(bundle: string, variant: string, env: NodeJS.ProcessEnv): { fromCache: boolean; where: string } {
  const script = `const { loadBundle } = require(${JSON.stringify(LOADER)}); const b = loadBundle(${JSON.stringify(bundle)}, ${JSON.stringify(variant)}); b.saveCache(); process.stdout.write(JSON.stringify({ fromCache: b.fromCache, where: b.exports.where }));`;
  return JSON.parse(execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' })) as { fromCache: boolean; where: string };
}

describe('code cache of the bundles', () => {
  let dir: string;
  let cacheHome: string;
  let bundle: string;
  const saved = { xdg: process.env.XDG_CACHE_HOME, off: process.env.CITUS_ROLLUPS_NO_CODE_CACHE };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'citus-code-cache-'));
    cacheHome = path.join(dir, 'cache');
    bundle = path.join(dir, 'bundle.js');
    // a module like the bundles: a shebang, exports, require of a Node.js module, __dirname
    fs.writeFileSync(bundle, "#!/usr/bin/env node\nconst p = require('node:path');\nexports.where = p.basename(__dirname);\nexports.add = (a, b) => a + b;\n");
    process.env.XDG_CACHE_HOME = cacheHome;
    delete process.env.CITUS_ROLLUPS_NO_CODE_CACHE;
  });

  afterEach(() => {
    for (const [k, v] of [['XDG_CACHE_HOME', saved.xdg], ['CITUS_ROLLUPS_NO_CODE_CACHE', saved.off]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const cacheFiles = (): string[] => {
    const d = path.join(cacheHome, 'citus-rollups', 'code-cache');
    return fs.existsSync(d) ? fs.readdirSync(d) : [];
  };

  it('runs the bundle as a module of its folder, saves the compiled code, and reads it back next time', () => {
    const first = loadBundle(bundle);
    assert.equal((first.exports.add as (a: number, b: number) => number)(2, 3), 5);
    assert.equal(first.exports.where, path.basename(dir));
    assert.equal(first.fromCache, false);
    first.saveCache();
    assert.equal(cacheFiles().length, 1);
    if (process.platform !== 'win32') assert.equal(fs.statSync(path.join(cacheHome, 'citus-rollups', 'code-cache')).mode & 0o777, 0o700);
    const second = loadBundle(bundle);
    assert.equal(second.fromCache, true);
    assert.equal((second.exports.add as (a: number, b: number) => number)(1, 1), 2);

    // a new build of the bundle: its own cache, and the old one goes
    const before = cacheFiles();
    fs.appendFileSync(bundle, 'exports.rebuilt = true;\n');
    const rebuilt = loadBundle(bundle);
    assert.equal(rebuilt.fromCache, false);
    assert.equal(rebuilt.exports.rebuilt, true);
    rebuilt.saveCache();
    assert.equal(cacheFiles().length, 1);
    assert.notDeepEqual(cacheFiles(), before);
  });

  it('keeps one cache per variant of V8 flags, and replaces one that does not fit (fresh processes)', () => {
    const env = { XDG_CACHE_HOME: cacheHome };
    assert.equal(loadInProcess(bundle, 'liftoff', env).fromCache, false);
    assert.equal(loadInProcess(bundle, '', env).fromCache, false);
    assert.equal(cacheFiles().length, 2);
    assert.equal(loadInProcess(bundle, 'liftoff', env).fromCache, true);
    assert.equal(loadInProcess(bundle, '', env).fromCache, true);
    const file = path.join(cacheHome, 'citus-rollups', 'code-cache', cacheFiles().find((f) => !f.includes('liftoff')) as string);
    fs.writeFileSync(file, Buffer.from('not V8 code'));
    const broken = loadInProcess(bundle, '', env);
    assert.deepEqual(broken, { fromCache: false, where: path.basename(dir) }, 'V8 rejects it, and the bundle runs all the same');
    assert.equal(loadInProcess(bundle, '', env).fromCache, true, 'the rejected cache was replaced');
  });

  it('never uses a cache folder other users can write, and can be turned off', function () {
    if (process.platform === 'win32') this.skip();
    const shared = path.join(cacheHome, 'citus-rollups', 'code-cache');
    fs.mkdirSync(shared, { recursive: true });
    fs.chmodSync(shared, 0o777);
    const open = loadBundle(bundle);
    open.saveCache();
    assert.deepEqual(cacheFiles(), []);
    assert.equal(open.exports.where, path.basename(dir));

    fs.chmodSync(shared, 0o700);
    process.env.CITUS_ROLLUPS_NO_CODE_CACHE = '1';
    loadBundle(bundle).saveCache();
    assert.deepEqual(cacheFiles(), []);
  });
});
