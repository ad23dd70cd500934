/**
 * `lint --cache` (src/cli/cache.ts): every report is the same, byte for byte, as a run without the cache, and a file
 * is analysed again exactly when something its analysis depends on changed (its text, the DDL its model is built from,
 * the config, the rule settings); a cache that does not read or cannot be written loses nothing. Which files came from
 * the cache: the `cacheHits` that CITUS_ROLLUPS_TIMINGS prints.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';

interface Run {
  code: number;
  out: string;
  err: string;
  hits?: number;
}

async function lint(args: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const before = process.env.CITUS_ROLLUPS_TIMINGS;
  process.env.CITUS_ROLLUPS_TIMINGS = '1';
  try {
    const code = await main(['lint', ...args], { stdout: (s) => (out += s), stderr: (s) => (err += s) });
    const timings = err.split('\n').find((l) => l.startsWith('{"start"'));
    const hits = timings ? (JSON.parse(timings) as { cacheHits?: number }).cacheHits : undefined;
    return { code, out, err: err.split('\n').filter((l) => !l.startsWith('{"start"')).join('\n'), hits };
  } finally {
    if (before === undefined) delete process.env.CITUS_ROLLUPS_TIMINGS;
    else process.env.CITUS_ROLLUPS_TIMINGS = before;
  }
}

const SCHEMA = `CREATE TABLE events (tenant_id int, event_id bigint, kind text, created_at timestamptz);
CREATE TABLE daily (tenant_id int, day date, kind text, n bigint, PRIMARY KEY (tenant_id, day, kind));
SELECT create_distributed_table('events', 'tenant_id');
SELECT create_distributed_table('daily', 'tenant_id', colocate_with => 'events');
`;
const ROLLUP = `INSERT INTO daily (tenant_id, day, kind, n) SELECT tenant_id, created_at::date, kind, count(*) FROM events GROUP BY 1, 2, 3
ON CONFLICT (tenant_id, day, kind) DO UPDATE SET n = daily.n + EXCLUDED.n;
`;
const REKEY = `INSERT INTO daily (tenant_id, day, kind, n) SELECT event_id::int, created_at::date, kind, count(*) FROM events GROUP BY 1, 2, 3;
`;
const USES_NEW_COLUMN = `INSERT INTO daily (tenant_id, day, kind, n) SELECT tenant_id, created_at::date, source, count(*) FROM events GROUP BY 1, 2, 3;
`;

describe('lint --cache', function () {
  this.timeout(60_000);
  let dir = '';
  let cacheFile = '';
  const write = (name: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'citus-rollups-cache-'));
    cacheFile = path.join(dir, 'lint-cache.json');
    write('sql/schema.sql', SCHEMA);
    write('sql/rollup.sql', ROLLUP);
    write('sql/rekey.sql', REKEY);
    write('sql/new-column.sql', USES_NEW_COLUMN);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Lints `sql/` with the cache and without it: the same report and exit status; returns the run with the cache. */
  async function same(extra: string[] = []): Promise<Run> {
    const cached = await lint(['--cache', '--cache-location', cacheFile, ...extra, path.join(dir, 'sql')]);
    const plain = await lint([...extra, path.join(dir, 'sql')]);
    assert.equal(cached.out, plain.out);
    assert.equal(cached.code, plain.code);
    assert.equal(cached.err, plain.err);
    return cached;
  }

  it('gives the same report in every format, from the analysis and then from the cache', async () => {
    for (const format of ['text', 'json', 'sarif']) {
      fs.rmSync(cacheFile, { force: true });
      const first = await same(['--format', format]);
      assert.equal(first.hits, 0, format);
      const second = await same(['--format', format]);
      assert.equal(second.hits, 4, `${format}: every file from the cache`);
    }
    const text = await same();
    assert.match(text.out, /new-column\.sql:1:\d+: error .*column "source" does not exist/);
    assert.equal(text.code, 1);
  });

  it('analyses again only the file edited when it changes no schema, and every file when the schema changes', async () => {
    await same();
    write('sql/rekey.sql', REKEY + REKEY);
    const dml = await same();
    assert.equal(dml.hits, 3, 'only rekey.sql analysed again');
    // a column added to events: the file that uses it is no error any more, and every file's model changed
    write('sql/schema.sql', SCHEMA + 'ALTER TABLE events ADD COLUMN source text;\n');
    const ddl = await same();
    assert.equal(ddl.hits, 0, "schema.sql changed, and it is in every other file's model");
    assert.doesNotMatch(ddl.out, /column "source" does not exist/);
    assert.equal((await same()).hits, 4);
  });

  it('follows the order of migrations: an edited migration is in the models of the later ones only', async () => {
    fs.rmSync(path.join(dir, 'sql'), { recursive: true });
    write('sql/0001_events.sql', SCHEMA);
    write('sql/0002_rollup.sql', ROLLUP);
    write('sql/0003_column.sql', 'ALTER TABLE events ADD COLUMN source text;\n');
    write('sql/0004_use.sql', USES_NEW_COLUMN);
    await same();
    assert.equal((await same()).hits, 4);
    write('sql/0003_column.sql', 'ALTER TABLE events ADD COLUMN origin text;\n');
    const edited = await same();
    assert.equal(edited.hits, 2, '0001 and 0002 do not see 0003');
    assert.match(edited.out, /0004_use\.sql:1:\d+: error .*column "source" does not exist/);
  });

  it('analyses every file again when the rule settings or the config change', async () => {
    await same();
    const rule = await same(['--rule', 'dist-column-not-preserved=off']);
    assert.equal(rule.hits, 0);
    assert.equal((await same(['--rule', 'dist-column-not-preserved=off'])).hits, 4);
    write('sql/citus-rollups.json', JSON.stringify({ rules: { 'dist-column-not-preserved': 'hint' } }));
    const config = await same();
    assert.equal(config.hits, 0);
    assert.equal((await same()).hits, 4);
  });

  it('gives the same report with worker threads (dist/cli.js), and forgets the files that are gone', async () => {
    const CLI = path.join(__dirname, '..', '..', 'dist', 'cli.js');
    if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does)');
    const run = (args: string[]) => {
      const r = spawnSync(process.execPath, [CLI, 'lint', ...args, path.join(dir, 'sql')], { encoding: 'utf8', env: { ...process.env, CITUS_ROLLUPS_TIMINGS: '1' } });
      const timings = r.stderr.split('\n').find((l) => l.startsWith('{"start"'));
      return { code: r.status, out: r.stdout, hits: timings ? (JSON.parse(timings) as { cacheHits?: number }).cacheHits : undefined };
    };
    const built = path.join(dir, 'built-cache.json');
    const plain = run(['--jobs', '1']);
    for (const hits of [0, 4]) {
      const threads = run(['--jobs', '2', '--cache', '--cache-location', built]);
      assert.equal(threads.out, plain.out);
      assert.equal(threads.code, plain.code);
      assert.equal(threads.hits, hits);
    }
    await same();
    fs.rmSync(path.join(dir, 'sql', 'rekey.sql'));
    assert.equal((await same()).hits, 3);
    const kept = Object.keys((JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { files: Record<string, unknown> }).files);
    assert.deepEqual(kept.map((f) => path.basename(f)).sort(), ['new-column.sql', 'rollup.sql', 'schema.sql']);
  });

  it('loads node:crypto only with --cache, and never perf_hooks (start-up of every run)', () => {
    const CLI = path.join(__dirname, '..', '..', 'dist', 'cli.js');
    if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does)');
    // the built-in modules the process loaded, listed when it exits (a preload script, as NODE_OPTIONS would add)
    const preload = path.join(dir, 'modules.js');
    fs.writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(path.join(dir, 'modules.txt'))}, process.moduleLoadList.join('\\n')));`);
    const loaded = (args: string[]): string[] => {
      const r = spawnSync(process.execPath, ['-r', preload, CLI, 'lint', ...args, path.join(dir, 'sql')], { encoding: 'utf8' });
      assert.ok(r.status === 0 || r.status === 1, r.stderr);
      return fs.readFileSync(path.join(dir, 'modules.txt'), 'utf8').split('\n').filter((m) => m.startsWith('NativeModule '));
    };
    const plain = loaded([]);
    assert.ok(plain.includes('NativeModule fs') && !plain.includes('NativeModule crypto') && !plain.includes('NativeModule perf_hooks'), plain.join(' '));
    assert.ok(loaded(['--cache', '--cache-location', path.join(dir, 'startup-cache.json')]).includes('NativeModule crypto'));
  });

  it('starts afresh from a cache that does not read, and loses nothing when it cannot write one', async () => {
    fs.writeFileSync(cacheFile, '{"format":1,"identity":');
    assert.equal((await same()).hits, 0);
    assert.equal((await same()).hits, 4, 'written anew');
    // a cache written by other code is not used
    const data = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { identity: string };
    fs.writeFileSync(cacheFile, JSON.stringify({ ...data, identity: 'another build' }));
    assert.equal((await same()).hits, 0);
    // a folder is a place to keep the cache in
    const folder = path.join(dir, 'cache-folder');
    fs.mkdirSync(folder);
    await lint(['--cache', '--cache-location', folder, path.join(dir, 'sql')]);
    assert.ok(fs.existsSync(path.join(folder, '.citus-rollups-cache')));
    // a place that cannot be written: said on standard error, the report and the exit status as without the cache
    const plain = await lint([path.join(dir, 'sql')]);
    const nowhere = await lint(['--cache', '--cache-location', path.join(dir, 'no-such-folder', 'cache.json'), path.join(dir, 'sql')]);
    assert.equal(nowhere.out, plain.out);
    assert.equal(nowhere.code, plain.code);
    assert.match(nowhere.err, /could not write the cache .*no-such-folder.*\(ENOENT\): the next run analyses every file again/);
  });

  it('refuses --cache-location without --cache', async () => {
    const r = await lint(['--cache-location', cacheFile, path.join(dir, 'sql')]);
    assert.equal(r.code, 2);
    assert.match(r.err, /--cache-location goes with --cache/);
  });
});
