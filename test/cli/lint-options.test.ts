/**
 * `citus-rollups lint` with a project config: found upward from the paths or named with --config, its rules,
 * globs, schema files, snapshot and cluster settings; --rule; --stdin with --stdin-filename; the
 * `-- citus-rollups-disable-file` directive; and one clear message for each mistake.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';

interface Result {
  code: number;
  out: string;
  err: string;
}

async function run(args: string[], options: { cwd?: string; stdin?: string } = {}): Promise<Result> {
  let out = '';
  let err = '';
  const previous = process.cwd();
  if (options.cwd) process.chdir(options.cwd);
  try {
    const code = await main(args, {
      stdout: (s) => (out += s),
      stderr: (s) => (err += s),
      ...(options.stdin !== undefined ? { readStdin: () => Promise.resolve(options.stdin as string) } : {}),
    });
    return { code, out, err };
  } finally {
    process.chdir(previous);
  }
}

const SCHEMA = `CREATE TABLE events (tenant_id int NOT NULL, v int);
SELECT create_distributed_table('events', 'tenant_id');
CREATE TABLE tenant_stats (tenant_id int PRIMARY KEY, n bigint);
SELECT create_distributed_table('tenant_stats', 'tenant_id', colocate_with => 'events');
`;
const LIMITED = 'INSERT INTO tenant_stats (tenant_id, n) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id LIMIT 5;\n';
const REPARTITION_JOIN = `CREATE TABLE other (k int, tenant_id int);
SELECT create_distributed_table('other', 'k');
INSERT INTO tenant_stats (tenant_id, n) SELECT e.tenant_id, count(*) FROM events e JOIN other o ON e.v = o.tenant_id GROUP BY e.tenant_id;
`;

function findings(out: string): string[] {
  return out.split('\n').filter((l) => /: (error|warning|information|hint) /.test(l));
}

describe('citus-rollups lint with a project config', function () {
  this.timeout(30000);
  let project = '';

  function write(rel: string, text: string): string {
    const file = path.join(project, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  }

  beforeEach(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'cr-project-'));
    write('db/schema.sql', SCHEMA);
    write('sql/rollup.sql', LIMITED);
  });
  afterEach(() => {
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });

  it('without a config, a file alone knows no tables', async () => {
    const r = await run(['lint', 'sql/rollup.sql'], { cwd: project });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /warning unknown-table/);
  });

  it('finds citus-rollups.json upward from the paths: its schema files and rules apply', async () => {
    write('citus-rollups.json', '{ "schema": ["db"], "rules": { "limit-offset-blocks-pushdown": "error" } }');
    const r = await run(['lint', 'rollup.sql'], { cwd: path.join(project, 'sql') });
    assert.equal(r.code, 1, r.err);
    assert.deepEqual(findings(r.out).map((l) => l.replace(/ [A-Z].*$/, '')), ['rollup.sql:1:99: error limit-offset-blocks-pushdown']);
  });

  it('reads the DDL of every project file (include/exclude) but reports only the files given', async () => {
    write('citus-rollups.json', '{ "include": ["**/*.sql"], "exclude": ["legacy/**"] }');
    write('legacy/broken.sql', 'SELEC 1;\n');
    const r = await run(['lint', 'sql/rollup.sql'], { cwd: project });
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out, /unknown-table|broken/, 'tables from db/schema.sql, nothing from legacy/');
    assert.match(r.out, /sql\/rollup\.sql:1:1: method pull to coordinator/);
    const all = await run(['lint', '.'], { cwd: project });
    assert.doesNotMatch(all.out, /legacy/, 'a folder is linted without the excluded files');
    assert.match(all.out, /db\/schema\.sql|sql\/rollup\.sql/);
    const onlyExcluded = await run(['lint', 'legacy/broken.sql'], { cwd: project });
    assert.equal(onlyExcluded.code, 0);
    assert.match(onlyExcluded.err, /every file given is excluded by .*citus-rollups\.json: nothing to lint/);
  });

  it('puts the cluster settings into the model: enable_repartition_joins turns a refused join into a repartition', async () => {
    write('sql/join.sql', REPARTITION_JOIN);
    write('citus-rollups.json', '{ "schema": ["db"] }');
    const off = await run(['lint', 'sql/join.sql'], { cwd: project });
    assert.match(off.out, /error join-not-on-dist-column/);
    assert.equal(off.code, 1);
    write('citus-rollups.json', '{ "schema": ["db"], "cluster": { "citusVersion": "13.2", "settings": { "citus.enable_repartition_joins": true } } }');
    const on = await run(['lint', 'sql/join.sql'], { cwd: project });
    assert.doesNotMatch(on.out, /error join-not-on-dist-column/);
    assert.match(on.out, /method (pull to coordinator|repartition)/);
    assert.equal(on.err, '', 'Citus 13.2: no note');
  });

  it('puts citus.shard_count into the model (shard counts of DML outcomes), and notes a Citus version it does not follow', async () => {
    write('sql/update.sql', 'UPDATE events SET v = 1;\n');
    write('citus-rollups.json', '{ "schema": ["db"], "cluster": { "citusVersion": "12.1", "settings": { "citus.shard_count": 8 } } }');
    const r = await run(['lint', 'sql/update.sql'], { cwd: project });
    assert.match(r.out, /outcome multi-shard \(8 shards\)/);
    assert.match(r.err, /note: the config says Citus 12\.1; the predictions follow Citus 13's planner/);
  });

  it('RESET returns a session to the config\'s setting, not to Citus\' default (RESET ALL too)', async () => {
    write('citus-rollups.json', '{ "schema": ["db"], "cluster": { "settings": { "citus.enable_repartition_joins": true } } }');
    const insert = REPARTITION_JOIN.split('\n')[2];
    write('sql/reset.sql', `SET citus.enable_repartition_joins = off;\n${REPARTITION_JOIN}RESET citus.enable_repartition_joins;\n${insert}\nSET citus.enable_repartition_joins = off;\nRESET ALL;\n${insert}\n`);
    const r = await run(['lint', '--format', 'json', 'sql/reset.sql'], { cwd: project });
    const methods = (JSON.parse(r.out) as { files: { statements: { kind: string; method: string }[] }[] }).files[0].statements.filter((s) => s.kind === 'insert_select').map((s) => s.method);
    assert.equal(methods.length, 3, r.out);
    assert.equal(methods[0], 'error', 'SET .. off: the join is refused');
    assert.notEqual(methods[1], 'error', 'RESET: the config turns repartition joins on again');
    assert.notEqual(methods[2], 'error', 'RESET ALL too');
  });

  it('reads the config\'s snapshot; --catalog replaces it', async () => {
    const snapshot = {
      format: 'citus-rollups-snapshot',
      version: 1,
      tables: [
        { schema: 'public', name: 'events', kind: 'hash', distributionColumn: 'tenant_id', colocationId: 1, shardCount: 32, columns: [{ name: 'tenant_id', type: 'integer', notNull: true, defaultKind: 'none' }, { name: 'v', type: 'integer', notNull: false, defaultKind: 'none' }], uniqueKeys: [], partitioned: false },
      ],
      colocationGroups: [{ id: 1, shardCount: 32, distributionColumnType: 'integer', kind: 'hash' }],
    };
    write('catalog.json', JSON.stringify(snapshot));
    write('sql/q.sql', 'UPDATE events SET v = 1 WHERE tenant_id = 3;\n');
    write('citus-rollups.json', '{ "snapshot": "catalog.json", "include": ["sql/**"] }');
    const r = await run(['lint', 'sql/q.sql'], { cwd: project });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /outcome single shard/);
    const missing = await run(['lint', '--catalog', 'nope.json', 'sql/q.sql'], { cwd: project });
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read nope\.json: ENOENT/);
  });

  it('--rule ID=SEVERITY wins over the config; a bad --rule is a usage error with a suggestion', async () => {
    write('citus-rollups.json', '{ "schema": ["db"], "rules": { "limit-offset-blocks-pushdown": "error" } }');
    const r = await run(['lint', '--rule', 'limit-offset-blocks-pushdown=off', 'sql/rollup.sql'], { cwd: project });
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(findings(r.out), []);
    const typo = await run(['lint', '--rule', 'limit-offset-blocks-pushdwn=off', 'sql/rollup.sql'], { cwd: project });
    assert.equal(typo.code, 2);
    assert.match(typo.err, /--rule limit-offset-blocks-pushdwn=off: unknown rule id "limit-offset-blocks-pushdwn" \(did you mean "limit-offset-blocks-pushdown"\?\)/);
    const shape = await run(['lint', '--rule', 'unknown-table', 'sql/rollup.sql'], { cwd: project });
    assert.match(shape.err, /--rule needs ID=SEVERITY/);
  });

  it('--config FILE names the config; a broken one is exit 2 with file:line:col and every problem', async () => {
    write('ci/strict.json', '{ "schema": ["../db"], "rules": { "limit-offset-blocks-pushdown": "error" } }');
    const r = await run(['lint', '--config', 'ci/strict.json', 'sql/rollup.sql'], { cwd: project });
    assert.equal(r.code, 1, r.err);
    write('citus-rollups.json', '{\n  "rules": { "unknown-table": "of" },\n  "snapshot": 3\n}\n');
    const bad = await run(['lint', 'sql/rollup.sql'], { cwd: project });
    assert.equal(bad.code, 2);
    assert.equal(bad.out, '');
    const lines = bad.err.trimEnd().split('\n');
    assert.match(lines[0], /^citus-rollups: .*citus-rollups\.json is not a valid config \(2 problems\):$/);
    assert.match(lines[1], /citus-rollups\.json:2:31: rule "unknown-table": the severity must be one of .* \(got "of"\)$/);
    assert.match(lines[2], /citus-rollups\.json:3:15: "snapshot" must be the path of a snapshot file/);
    assert.equal(lines.length, 3, 'no usage hint after a config error');
  });

  it('refuses paths under different configs', async () => {
    write('a/citus-rollups.json', '{}');
    write('b/citus-rollups.json', '{}');
    write('a/x.sql', 'SELECT 1;\n');
    write('b/y.sql', 'SELECT 1;\n');
    const r = await run(['lint', 'a/x.sql', 'b/y.sql'], { cwd: project });
    assert.equal(r.code, 2);
    assert.match(r.err, /the paths belong to different configs .*lint them separately, or name one with --config/);
  });

  it('--stdin with --stdin-filename: reported under that name, config found from it, its disk copy replaced', async () => {
    write('citus-rollups.json', '{ "schema": ["db"] }');
    const r = await run(['lint', '--stdin', '--stdin-filename', 'sql/rollup.sql', '--format', 'json'], { cwd: project, stdin: 'SELECT * FROM events LIMIT 1;\nSELECT * FROM nowhere;\n' });
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out) as { files: Array<{ path: string; diagnostics: Array<{ rule: string; range: { start: { line: number } } }> }> };
    assert.equal(report.files.length, 1);
    assert.equal(report.files[0].path, 'sql/rollup.sql');
    assert.deepEqual(report.files[0].diagnostics.map((d) => [d.rule, d.range.start.line]), [['unknown-table', 1]], 'the text from stdin, not the file on disk (its LIMIT finding is gone)');
    const anonymous = await run(['lint', '--stdin'], { cwd: project, stdin: 'SELEC 1;\n' });
    assert.equal(anonymous.code, 1);
    assert.match(anonymous.out, /^<stdin>:1:1: error syntax-error /m);
  });

  it('refuses --stdin with paths, and --stdin-filename without --stdin', async () => {
    assert.match((await run(['lint', '--stdin', 'a.sql'], { stdin: '' })).err, /--stdin reads standard input: give no PATH/);
    assert.match((await run(['lint', '--stdin-filename', 'a.sql', 'a.sql'])).err, /--stdin-filename goes with --stdin/);
  });

  it('-- citus-rollups-disable-file silences rules (or all but syntax-error) for the whole file', async () => {
    write('citus-rollups.json', '{ "schema": ["db"] }');
    const body = `${LIMITED}SELECT * FROM nowhere;\nSELEC 1;\n`;
    write('sql/rollup.sql', `-- citus-rollups-disable-file limit-offset-blocks-pushdown\n${body}`);
    let r = await run(['lint', 'sql/rollup.sql'], { cwd: project });
    assert.deepEqual(findings(r.out).map((l) => l.split(' ')[2]), ['unknown-table', 'syntax-error']);
    write('sql/rollup.sql', `${body}\n  -- citus-rollups-disable-file\n`);
    r = await run(['lint', 'sql/rollup.sql'], { cwd: project });
    assert.deepEqual(findings(r.out).map((l) => l.split(' ')[2]), ['syntax-error'], 'a directive anywhere on its own line; never hides syntax errors');
    write('sql/rollup.sql', `SELECT '\n-- citus-rollups-disable-file' AS not_a_directive FROM nowhere;\n`);
    r = await run(['lint', 'sql/rollup.sql'], { cwd: project });
    assert.deepEqual(findings(r.out).map((l) => l.split(' ')[2]), ['unknown-table'], 'inside a string literal it is not a directive');
  });

  it('scaffold rollup takes its table model from the project config when no --schema or --catalog is given', async () => {
    const args = ['scaffold', 'rollup', '--source', 'events', '--time-column', 'at', '--granularity', 'day', '--measure', 'count(*)'];
    write('db/schema.sql', SCHEMA.replace('v int)', 'v int, at timestamptz NOT NULL)'));
    const none = await run(args, { cwd: project });
    assert.equal(none.code, 2);
    assert.match(none.err, /--schema FILE .*--catalog FILE, or a citus-rollups\.json project config/);
    write('citus-rollups.json', '{ "include": ["db/**/*.sql"] }');
    const r = await run(args, { cwd: path.join(project, 'db') });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /create_distributed_table\('public\.events_daily', 'tenant_id', colocate_with => 'public\.events'\)/);
  });
});
