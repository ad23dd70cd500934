/**
 * The CLI as users run it: the bundled dist/cli.js in a child process (npm test builds it first).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const SCHEMA = path.join(ROOT, 'test', 'fixtures', 'citus-corpus', 'schema.sql');

function cli(args: string[], cwd = ROOT): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

let tmp = ''; // set by the before hook; the after hook runs even when it failed
function write(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

describe('citus-rollups lint (CLI)', () => {
  before(function () {
    if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does)');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'citus-rollups-cli-'));
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('lints the example workspace: methods, findings, exit 1 for the error it contains', () => {
    const r = cli(['lint', 'examples']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /examples\/rollups\.sql:2:1: method pushdown \(INSERT INTO daily_page_views\)/);
    assert.match(r.stdout, /examples\/does-not-push-down\.sql:\d+:\d+: warning limit-offset-blocks-pushdown /);
    assert.match(r.stdout, /error dist-column-missing/);
    // the INSERT inside the EXECUTE $$ ... $$ of compute_daily_view_counts is analysed too
    assert.match(r.stdout, /examples\/rollups\.sql:\d+:5: method pushdown/);
  });

  it("reports PostgreSQL's own errors offline, with its messages, as method error (issue: unknown names, wrong types, bad GROUP BY)", () => {
    const schema = write(
      'semantic/schema.sql',
      `CREATE TABLE page_views (site_id int, url text, view_time timestamptz);
CREATE TABLE daily_page_views (site_id int, day date, url text, view_count bigint, PRIMARY KEY (site_id, day, url));
SELECT create_distributed_table('page_views', 'site_id');
SELECT create_distributed_table('daily_page_views', 'site_id', colocate_with => 'page_views');
`,
    );
    const rollups = write(
      'semantic/rollups.sql',
      `INSERT INTO daily_page_views (site_id, day, url, view_count) SELECT site_id, view_time::date, urll, count(*) FROM page_views GROUP BY 1, 2, 3;
INSERT INTO daily_page_views (site_id, day, url, view_count) SELECT view_time::date, site_id, url, count(*) FROM page_views GROUP BY 1, 2, 3;
INSERT INTO daily_page_views (site_id, day, url, view_count, extra) SELECT site_id, view_time::date, url, count(*) FROM page_views GROUP BY 1, 2, 3;
INSERT INTO daily_page_views (site_id, day, url, view_count) SELECT site_id, view_time::date, url, count(*) FROM page_views GROUP BY site_id, url;
INSERT INTO daily_page_views (site_id, day, url, view_count) SELECT site_id, view_time::date, url, count(*) FROM page_views GROUP BY site_id, view_time::date, url;
`,
    );
    const r = cli(['lint', '--schema', schema, '--format', 'json', rollups]);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as { files: { statements: { method: string; reasons: string[] }[]; diagnostics: { rule: string }[] }[] };
    const statements = report.files[0].statements;
    assert.deepEqual(
      statements.map((s) => [s.method, s.reasons[0] ?? '']),
      [
        ['error', 'ERROR:  column "urll" does not exist\nHINT:  Perhaps you meant to reference the column "page_views.url".'],
        ['error', 'ERROR:  column "site_id" is of type integer but expression is of type date\nHINT:  You will need to rewrite or cast the expression.'],
        ['error', 'ERROR:  column "extra" of relation "daily_page_views" does not exist'],
        ['error', 'ERROR:  column "page_views.view_time" must appear in the GROUP BY clause or be used in an aggregate function'],
        ['pushdown', ''],
      ],
    );
    assert.deepEqual(
      report.files[0].diagnostics.map((f) => f.rule),
      ['unknown-column', 'insert-type-mismatch', 'insert-type-mismatch', 'unknown-column', 'insert-column-count', 'ungrouped-column'],
    );
  });

  it('exits 0 when nothing has error severity, and reads --schema files without reporting them', () => {
    const f = write('ok.sql', 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id;\n');
    const without = cli(['lint', f]);
    assert.equal(without.code, 0);
    assert.match(without.stdout, /unknown-table/);
    const r = cli(['lint', '--schema', SCHEMA, f]);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /method pushdown/);
    assert.doesNotMatch(r.stdout, /schema\.sql/);
  });

  it('prints the JSON contract: every statement in order, nested ones after their function', () => {
    const f = write('doc.sql', [
      'SELECT 1;',
      'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id LIMIT 5;',
      'CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN',
      '  INSERT INTO tenant_stats (tenant_id) SELECT tenant_id FROM events GROUP BY tenant_id;',
      'END $$;',
      'SELECT FROM WHERE;',
    ].join('\n'));
    const r = cli(['lint', '--schema', SCHEMA, '--format', 'json', f]);
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout);
    assert.equal(out.version, 1);
    const file = out.files[0];
    assert.deepEqual(file.statements.map((s: { kind: string }) => s.kind), ['other', 'insert_select', 'ddl', 'insert_select', 'other']);
    assert.deepEqual(file.statements.map((s: { method: string }) => s.method), ['not_applicable', 'pull_to_coordinator', 'not_applicable', 'pushdown', 'not_applicable']);
    assert.equal(file.statements[3].parentIndex, 2);
    assert.deepEqual(file.statements[3].range.start, { line: 3, character: 2 });
    assert.ok(file.statements.every((s: { index: number }, i: number) => s.index === i));
    const limit = file.diagnostics.find((d: { rule: string }) => d.rule === 'limit-offset-blocks-pushdown');
    assert.equal(limit.severity, 'warning');
    assert.equal(limit.statementIndex, 1);
    assert.deepEqual(limit.range.start, { line: 1, character: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id '.length });
    const syntax = file.diagnostics.find((d: { rule: string }) => d.rule === 'syntax-error');
    assert.deepEqual(syntax.range.start, { line: 5, character: 12 });
    assert.ok(file.statements[1].reasons[0].startsWith('DEBUG:  cannot push down this subquery\nDETAIL:  Limit clause'));
  });

  it('writes SARIF 2.1.0 that the official SARIF validator accepts', function () {
    this.timeout(120000);
    const out = path.join(tmp, 'out.sarif');
    const r = cli(['lint', '--format', 'sarif', '-o', out, 'examples']);
    assert.equal(r.code, 1);
    const log = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.equal(log.version, '2.1.0');
    const results = log.runs[0].results;
    assert.ok(results.length >= 5);
    for (const res of results) {
      assert.ok(log.runs[0].tool.driver.rules[res.ruleIndex].id === res.ruleId);
      assert.match(log.runs[0].tool.driver.rules[res.ruleIndex].helpUri, /docs\/rules\/.+\.md$/);
    }
    const validator = path.join(ROOT, 'node_modules', '@microsoft', 'sarif-multitool-linux', 'Sarif.Multitool');
    fs.chmodSync(validator, 0o755); // npm may skip the package's postinstall chmod
    const report = path.join(tmp, 'validation.sarif');
    const v = spawnSync(validator, ['validate', out, '--output', report], {
      encoding: 'utf8',
      env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
    });
    assert.equal(v.status, 0, v.stdout + v.stderr);
    const validation = JSON.parse(fs.readFileSync(report, 'utf8'));
    const problems = validation.runs[0].results.filter((x: { level?: string }) => x.level === 'error' || x.level === 'warning');
    assert.deepEqual(problems.map((p: { message: { text: string } }) => p.message.text), []);
  });

  it('reports usage and I/O errors with exit 2 and a clear message', () => {
    assert.equal(cli(['lint']).code, 2);
    const missing = cli(['lint', path.join(tmp, 'nope.sql')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read .*nope\.sql/);
    const format = cli(['lint', '--format', 'xml', 'examples']);
    assert.equal(format.code, 2);
    assert.match(format.stderr, /--format must be one of text, json, sarif, github, gitlab, junit/);
    const badCatalog = write('bad.json', '{ not json');
    const c = cli(['lint', '--catalog', badCatalog, 'examples']);
    assert.equal(c.code, 2);
    assert.match(c.stderr, /bad\.json is not valid JSON/);
    assert.equal(cli(['frobnicate']).code, 2);
    assert.equal(cli(['--help']).code, 0);
  });

  it('loads a catalog snapshot instead of DDL', () => {
    const snapshot = path.join(tmp, 'snap.json');
    // build a snapshot from the corpus DDL with the library, then lint with it alone
    const script = `
      const { loadParser } = require(${JSON.stringify(path.join(ROOT, 'src/core/parse/libpg'))});
      const { SchemaModel } = require(${JSON.stringify(path.join(ROOT, 'src/core/schema/model'))});
      const { snapshotFromModel } = require(${JSON.stringify(path.join(ROOT, 'src/core/schema/snapshot'))});
      const { applyDocumentDdl } = require(${JSON.stringify(path.join(ROOT, 'src/core/workspace'))});
      loadParser().then(() => {
        const m = new SchemaModel();
        applyDocumentDdl(m, { source: 's', text: require('fs').readFileSync(${JSON.stringify(SCHEMA)}, 'utf8') });
        require('fs').writeFileSync(${JSON.stringify(snapshot)}, JSON.stringify(snapshotFromModel(m)));
      });`;
    const gen = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], { encoding: 'utf8' });
    assert.equal(gen.status, 0, gen.stderr);
    const f = write('snap-case.sql', 'INSERT INTO orders_nc (tenant_id, order_id) SELECT tenant_id, event_id FROM events;\n');
    const r = cli(['lint', '--catalog', snapshot, f]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /method repartition/);
    assert.match(r.stdout, /information tables-not-colocated/);
  });

  it("reports syntax the declared PostgreSQL version lacks, from the config or the snapshot's server version, and nothing without one", () => {
    const sql = 'INSERT INTO events SELECT * FROM (SELECT * FROM events);\nMERGE INTO users u USING ref_tenants t ON u.tenant_id = t.tenant_id WHEN NOT MATCHED BY SOURCE THEN DELETE;\n';
    const project = (dir: string, cluster: Record<string, unknown> | undefined): string => {
      write(`${dir}/schema.sql`, fs.readFileSync(SCHEMA, 'utf8'));
      write(`${dir}/citus-rollups.json`, JSON.stringify({ schema: ['schema.sql'], include: ['q.sql'], ...(cluster ? { cluster } : {}) }));
      return write(`${dir}/q.sql`, sql);
    };
    const on15 = cli(['lint', '--format', 'json', project('pg15', { postgresVersion: 15 })]);
    assert.equal(on15.code, 1, on15.stderr);
    type Diagnostic = { rule: string; message: string; range: { start: { line: number; character: number } } };
    const found = (JSON.parse(on15.stdout) as { files: { diagnostics: Diagnostic[]; statements: { method: string; outcome?: string }[] }[] }).files[0];
    assert.deepEqual(
      found.diagnostics.filter((d) => d.rule === 'newer-postgres-syntax').map((d) => [d.range.start.line, d.range.start.character, d.message.split(' (')[0]]),
      [
        [0, 33, 'subquery in FROM must have an alias'],
        [1, 85, 'syntax error at or near "BY"'],
      ],
    );
    assert.deepEqual(found.statements.map((st) => st.outcome ?? st.method), ['error', 'error'], 'both statements are predicted to fail');
    // PostgreSQL 16 has the subquery without an alias, not MERGE's BY SOURCE
    const on16 = cli(['lint', project('pg16', { postgresVersion: '16.4' })]);
    assert.match(on16.stdout, /q\.sql:2:86: error newer-postgres-syntax syntax error at or near "BY"/);
    assert.doesNotMatch(on16.stdout, /alias/);
    // no version: PostgreSQL 17's grammar, nothing said
    const none = cli(['lint', project('pg17', undefined)]);
    assert.doesNotMatch(none.stdout, /newer-postgres-syntax/);
    assert.equal(none.code, 0, none.stdout);
    // a snapshot's server version
    const snapshot = write('pg15snap/snap.json', JSON.stringify({ format: 'citus-rollups-snapshot', version: 1, source: { serverVersion: '15.20 (Debian 15.20-0+deb12u1)' }, tables: [], colocationGroups: [] }));
    const q = write('pg15snap/q.sql', 'SELECT 1_000;\n');
    const snap = cli(['lint', '--catalog', snapshot, q]);
    assert.match(snap.stdout, /q\.sql:1:8: error newer-postgres-syntax trailing junk after numeric literal at or near "1_000"/);
  });

  // (one test per input: the probe files grow, and each run of the CLI over them takes seconds on a slow machine)
  const probes = path.join(ROOT, 'test', 'fixtures', 'probes', 'sql');
  const oneLarge = (): string => {
    const files = fs.readdirSync(probes).filter((f) => f.endsWith('.sql')).sort();
    return write('threads/all-probes.sql', files.map((f) => fs.readFileSync(path.join(probes, f), 'utf8')).join('\n'));
  };
  /** The CLI's report on 2 and 3 threads is the one-thread report, byte for byte (and its standard error and status). */
  const sameOnThreads = (what: string, args: readonly string[]): void => {
    const one = cli(['lint', ...args]);
    assert.ok(one.stdout.length > 1000, `${what}: a report`);
    for (const jobs of ['2', '3']) {
      const many = cli(['lint', '--jobs', jobs, ...args]);
      assert.equal(many.stderr, one.stderr, `${what}, --jobs ${jobs}: standard error`);
      assert.equal(many.code, one.code, `${what}, --jobs ${jobs}: exit status`);
      assert.ok(many.stdout === one.stdout, `${what}, --jobs ${jobs}: the same report as on one thread`);
    }
  };

  it('gives the same report on several threads (--jobs): many files, each with its own DDL, transactions, SET, functions and psql commands', function () {
    this.timeout(240_000);
    sameOnThreads('the probe files', ['--format', 'json', probes]);
  });

  it('gives the same report on several threads (--jobs): one large file cut between threads', function () {
    this.timeout(240_000);
    sameOnThreads('the probe files as one file', ['--format', 'json', oneLarge()]);
  });

  it('gives the same report on several threads (--jobs): the corpus with a schema, standard input, auto; refuses --jobs 0', function () {
    this.timeout(240_000);
    sameOnThreads('the corpus, with a schema', ['--schema', SCHEMA, '--format', 'sarif', path.join(ROOT, 'examples')]);
    // standard input, and auto (one thread for a small input, the same report either way)
    const text = fs.readFileSync(oneLarge(), 'utf8');
    const stdin = (jobs: string) => spawnSync(process.execPath, [CLI, 'lint', '--jobs', jobs, '--stdin', '--stdin-filename', 'x.sql'], { cwd: ROOT, input: text, encoding: 'utf8', maxBuffer: 1 << 28 });
    assert.equal(stdin('4').stdout, stdin('1').stdout);
    assert.equal(cli(['lint', '-j', 'auto', path.join(ROOT, 'examples')]).stdout, cli(['lint', path.join(ROOT, 'examples')]).stdout);
    const bad = cli(['lint', '--jobs', '0', path.join(ROOT, 'examples')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--jobs must be a whole number from 1 to 999, or auto \(got '0'\)/);
  });
});
