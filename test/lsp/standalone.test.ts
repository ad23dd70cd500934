/**
 * The language server as other editors start it: `citus-rollups lsp --stdio` from the CLI bundle, spoken to by a
 * plain JSON-RPC client with the capabilities of a minimal LSP client (no workspace/configuration, no file
 * watching, no workspace folders: Helix, Zed, older Neovim), and settings from citus-rollups.json.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { ensureServerBundle } from './build';
import { CLI_BUNDLE, TestClient } from './client';

const MINIMAL = { textDocument: { publishDiagnostics: {} } };

const SCHEMA = `CREATE TABLE events (tenant_id int NOT NULL, v int, at timestamptz);
SELECT create_distributed_table('events', 'tenant_id');
CREATE TABLE tenant_stats (tenant_id int PRIMARY KEY, n bigint);
SELECT create_distributed_table('tenant_stats', 'tenant_id', colocate_with => 'events');
`;
const ROLLUP = `INSERT INTO tenant_stats (tenant_id, n)
SELECT tenant_id, count(*) FROM events GROUP BY tenant_id ORDER BY 2 DESC LIMIT 10
ON CONFLICT (tenant_id) DO UPDATE SET n = tenant_stats.n + EXCLUDED.n;
UPDATE events SET v = 0 WHERE tenant_id IN (1, 2, 3, 4, 5, 6, 7, 8);
SELECT * FROM nowhere;
`;

function byRule(diagnostics: Diagnostic[], rule: string): Diagnostic | undefined {
  return diagnostics.find((d) => d.code === rule);
}

function exited(client: TestClient): Promise<number | null> {
  if (client.child.exitCode !== null) return Promise.resolve(client.child.exitCode);
  return new Promise((resolve) => client.child.once('exit', (code) => resolve(code)));
}

describe('citus-rollups lsp --stdio (any LSP client)', function () {
  this.timeout(30000);
  let root = '';
  const clients: TestClient[] = [];

  before(() => ensureServerBundle());
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cr-lsp-standalone-'));
    fs.writeFileSync(path.join(root, 'schema.sql'), SCHEMA);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  async function start(options: Partial<ConstructorParameters<typeof TestClient>[0]> = {}): Promise<TestClient> {
    const client = await TestClient.start({ root, command: [CLI_BUNDLE, 'lsp', '--stdio'], capabilities: MINIMAL, workspaceFolders: false, ...options });
    clients.push(client);
    return client;
  }

  it('initializes, publishes diagnostics with the config applied, and shuts down cleanly', async () => {
    fs.writeFileSync(
      path.join(root, 'citus-rollups.json'),
      `{
        // CI fails on LIMIT in rollups; unknown tables are expected here
        "rules": { "limit-offset-blocks-pushdown": "error", "unknown-table": "off" },
        "cluster": { "settings": { "citus.shard_count": 4 } },
      }`,
    );
    const client = await start();
    const uri = client.uri('rollup.sql');
    await client.open(uri, ROLLUP);
    const diagnostics = await client.diagnostics(uri, (d) => d.length > 0);
    const limit = byRule(diagnostics, 'limit-offset-blocks-pushdown');
    assert.ok(limit, JSON.stringify(diagnostics));
    assert.equal(limit.severity, 1, 'error, as the config says (the default is warning)');
    assert.equal(limit.range.start.line, 1);
    assert.equal(byRule(diagnostics, 'unknown-table'), undefined, 'off in the config');
    const multi = byRule(diagnostics, 'multi-shard-modification');
    assert.ok(multi, JSON.stringify(diagnostics));
    assert.match(multi.message, /\b4 shards\b/, 'the config\'s citus.shard_count reached the analysis (Citus\' default is 32)');
    assert.ok(
      !client.registrations.some((r) => r.method === 'workspace/didChangeConfiguration' || r.method === 'workspace/didChangeWatchedFiles'),
      'nothing is registered that the client did not announce',
    );

    await client.conn.sendRequest('shutdown');
    await client.conn.sendNotification('exit');
    assert.equal(await exited(client), 0, `the server exits 0 after shutdown + exit\n${client.stderr}`);
  });

  it("reports syntax the config's PostgreSQL version lacks, at PostgreSQL's token", async () => {
    fs.writeFileSync(path.join(root, 'citus-rollups.json'), '{ "cluster": { "postgresVersion": 15 } }');
    const client = await start();
    const uri = client.uri('rollup.sql');
    const text = 'INSERT INTO tenant_stats (tenant_id, n)\nSELECT tenant_id, count(*) FROM (SELECT tenant_id FROM events) GROUP BY tenant_id;\n';
    await client.open(uri, text);
    const diagnostics = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'newer-postgres-syntax'));
    const found = byRule(diagnostics, 'newer-postgres-syntax');
    assert.ok(found, JSON.stringify(diagnostics));
    assert.deepEqual(found.range.start, { line: 1, character: 32 }, 'at the subquery, where PostgreSQL 15 points');
    assert.match(found.message, /^subquery in FROM must have an alias \(PostgreSQL 15/);
    assert.equal(found.severity, 1);
  });

  it('analyses with the workspace schema even when the client never sends `initialized`', async () => {
    const client = await start({ skipInitialized: true });
    const uri = client.uri('rollup.sql');
    await client.open(uri, ROLLUP);
    // the multi-shard finding needs the schema file's tables: the workspace was read after the grace period
    const diagnostics = await client.diagnostics(uri, (d) => !!byRule(d, 'multi-shard-modification'), 0, 15000);
    assert.ok(byRule(diagnostics, 'limit-offset-blocks-pushdown'), JSON.stringify(diagnostics));
    assert.ok(client.logs.some((l) => /no `initialized` notification/.test(l)), client.logs.join('\n'));
  });

  it('analyses a migration against the migrations before it, not the ones after it (docs/editor.md)', async () => {
    const dir = path.join(root, 'db', 'migrations');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, '0001_create.sql'), "CREATE TABLE accounts (id int, plan text, seats int);\nSELECT create_distributed_table('accounts', 'id');\n");
    fs.writeFileSync(path.join(dir, '0003_drop_seats.sql'), 'ALTER TABLE accounts DROP COLUMN seats;\n');
    fs.writeFileSync(path.join(dir, '0010_rename.sql'), 'ALTER TABLE accounts RENAME TO customers;\n');
    const client = await start();
    const migration = client.uri('db/migrations/0002_backfill.sql');
    await client.open(migration, "UPDATE accounts SET seats = 1 WHERE plan = 'team';\n");
    const before = await client.diagnostics(migration, (d) => d.some((x) => x.code === 'multi-shard-modification'));
    assert.deepEqual(before.filter((d) => d.severity === 1 || d.code === 'unknown-table'), [], JSON.stringify(before));
    // a query outside the folder sees the end of the sequence
    const query = client.uri('report.sql');
    await client.open(query, 'SELECT seats FROM customers;\n');
    const after = await client.diagnostics(query, (d) => d.some((x) => x.code === 'unknown-column'));
    assert.match(byRule(after, 'unknown-column')?.message ?? '', /column "seats" does not exist/);
  });

  it('without a config, runs with the defaults', async () => {
    const client = await start();
    const uri = client.uri('rollup.sql');
    await client.open(uri, ROLLUP);
    const diagnostics = await client.diagnostics(uri, (d) => d.length > 0);
    assert.equal(byRule(diagnostics, 'limit-offset-blocks-pushdown')?.severity, 2, 'warning by default');
    assert.ok(byRule(diagnostics, 'unknown-table'));
    assert.match(byRule(diagnostics, 'multi-shard-modification')?.message ?? '', /\b8 shards\b|of 32\b|32 shards/);
  });

  it('reports a broken config once, with file, line and what is wrong, and keeps serving with the defaults', async () => {
    fs.writeFileSync(path.join(root, 'citus-rollups.json'), '{\n  "rules": { "limit-offset-blocks-pushdown": "fatal" }\n}\n');
    const client = await start();
    const uri = client.uri('rollup.sql');
    await client.open(uri, ROLLUP);
    const diagnostics = await client.diagnostics(uri, (d) => d.length > 0);
    assert.equal(byRule(diagnostics, 'limit-offset-blocks-pushdown')?.severity, 2, 'the broken config is ignored');
    assert.equal(client.messages.length, 1, JSON.stringify(client.messages));
    assert.equal(client.messages[0].type, 2, 'a warning');
    assert.match(client.messages[0].message, /citus-rollups\.json:2:\d+: rule "limit-offset-blocks-pushdown": the severity must be one of error, warning, information, hint, off \(got "fatal"\)/);
  });

  it('lets the client\'s settings win over the config where they are set (workspace/configuration)', async () => {
    fs.writeFileSync(path.join(root, 'citus-rollups.json'), '{ "rules": { "limit-offset-blocks-pushdown": "error", "unknown-table": "off" } }');
    const client = await start({
      capabilities: undefined, // VS Code's: configuration, folders, watching
      workspaceFolders: true,
      settings: { rules: { 'limit-offset-blocks-pushdown': 'hint' } },
    });
    const uri = client.uri('rollup.sql');
    await client.open(uri, ROLLUP);
    const diagnostics = await client.diagnostics(uri, (d) => d.length > 0);
    assert.equal(byRule(diagnostics, 'limit-offset-blocks-pushdown')?.severity, 4, 'the client setting (hint) wins');
    assert.equal(byRule(diagnostics, 'unknown-table'), undefined, 'the config still turns unknown-table off');

    // the config changes on disk: the client (which watches it) says so, and the diagnostics follow
    const before = client.count(uri);
    fs.writeFileSync(path.join(root, 'citus-rollups.json'), '{ "rules": { "limit-offset-blocks-pushdown": "error" } }');
    await client.watchedFileChanged(client.uri('citus-rollups.json'), 2);
    const after = await client.diagnostics(uri, (d) => byRule(d, 'unknown-table') !== undefined, before);
    assert.equal(byRule(after, 'limit-offset-blocks-pushdown')?.severity, 4);
    assert.ok(client.registrations.some((r) => JSON.stringify(r.registerOptions ?? {}).includes('citus-rollups.json')), 'the config file is watched');
  });

  it('exits when its stdin closes: 1 without a shutdown request, 0 after one', async () => {
    const abandoned = await start();
    await abandoned.open(abandoned.uri('rollup.sql'), ROLLUP);
    abandoned.child.stdin?.end();
    assert.equal(await exited(abandoned), 1, abandoned.stderr);
    const closed = await start();
    await closed.conn.sendRequest('shutdown');
    closed.child.stdin?.end();
    assert.equal(await exited(closed), 0, closed.stderr);
  });

  it('refuses to start without a transport, with a one-line reason', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, [CLI_BUNDLE, 'lsp'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim(), 'citus-rollups: lsp needs a transport: citus-rollups lsp --stdio');
  });
});
