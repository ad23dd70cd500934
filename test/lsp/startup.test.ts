/**
 * The language server's start and first diagnostics, over stdio with a real client: a file opened while the
 * workspace is still being read gets its syntax errors at once, then the analysis' diagnostics, and never a
 * diagnostic computed without the workspace's schema (no "unknown table" for a table another file defines).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestClient } from './client';
import { ensureServerBundle } from './build';

const SCHEMA = `CREATE TABLE page_views (tenant_id int, page_id int, view_time timestamp);
SELECT create_distributed_table('page_views', 'tenant_id');
CREATE TABLE daily_page_views (tenant_id int, day date, page_id int, view_count bigint, PRIMARY KEY (tenant_id, day, page_id));
SELECT create_distributed_table('daily_page_views', 'tenant_id');
`;

const ROLLUPS = `INSERT INTO daily_page_views (tenant_id, day, page_id, view_count)
  SELECT tenant_id, view_time::date, page_id, count(*) FROM page_views GROUP BY tenant_id, view_time::date, page_id LIMIT 10;
SELECT * FROM WHERE tenant_id = 1;
`;

describe('language server start: first diagnostics', function () {
  this.timeout(60000);
  let root: string;
  let client: TestClient | undefined;

  before(() => ensureServerBundle());

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'citus-lsp-start-'));
    // a workspace that takes the scan a while: many schema files, the one that matters last in path order
    fs.mkdirSync(path.join(root, 'a-many'));
    const filler = Array.from({ length: 60 }, (_, k) => `CREATE TABLE filler_${k} (id int, v text);\nINSERT INTO filler_${k} SELECT g, 'x' FROM generate_series(1, 10) g;\n`).join('');
    for (let f = 0; f < 150; f++) fs.writeFileSync(path.join(root, 'a-many', `f${f}.sql`), filler.replaceAll('filler_', `filler${f}_`));
    fs.writeFileSync(path.join(root, 'z-schema.sql'), SCHEMA);
    fs.writeFileSync(path.join(root, 'rollups.sql'), ROLLUPS);
  });

  afterEach(async () => {
    await client?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('publishes the syntax errors of a file opened at start first, then the analysis, never without the schema', async () => {
    client = await TestClient.start({ root });
    const uri = client.uri('rollups.sql');
    await client.open(uri, ROLLUPS);
    const full = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'limit-offset-blocks-pushdown'), 0, 30000);
    const all = client.published.get(uri) ?? [];
    assert.ok(all.length >= 2, `the syntax errors, then the analysis: ${all.length} publication(s)`);
    assert.deepEqual(
      all[0].diagnostics.map((d) => d.code),
      ['syntax-error'],
    );
    assert.deepEqual(all[0].diagnostics, full.filter((d) => d.code === 'syntax-error'), 'the first syntax errors are the analysis\' syntax errors');
    for (const p of all) assert.ok(!p.diagnostics.some((d) => d.code === 'unknown-table'), `no unknown-table before the schema is read: ${JSON.stringify(p.diagnostics.map((d) => d.message))}`);
    assert.ok(client.logs.some((l) => /schema: 152 file\(s\)/.test(l)), client.logs.join('\n'));
  });

  it('answers requests that need the schema after the scan, with the schema', async () => {
    client = await TestClient.start({ root });
    const uri = client.uri('rollups.sql');
    await client.open(uri, ROLLUPS);
    const hover = await client.hover(uri, 1, 60); // page_views in the FROM clause
    const text = JSON.stringify(hover?.contents ?? '');
    assert.match(text, /tenant_id/, text);
  });

  it('stays up and says once that the parser did not load when libpg-query.wasm is damaged', async () => {
    const dist = path.join(root, 'dist');
    fs.mkdirSync(dist);
    for (const f of ['server.js', 'server-main.js']) fs.copyFileSync(path.join(__dirname, '..', '..', 'dist', f), path.join(dist, f));
    fs.writeFileSync(path.join(dist, 'libpg-query.wasm'), 'not a WebAssembly module');
    client = await TestClient.start({ root, command: [path.join(dist, 'server.js'), '--stdio'] });
    const uri = client.uri('rollups.sql');
    await client.open(uri, ROLLUPS);
    await client.change(uri, [{ text: ROLLUPS + '\nSELECT 1;' }]);
    const deadline = Date.now() + 10000;
    while (!client.messages.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(
      client.messages.map((m) => m.type),
      [1],
      JSON.stringify(client.messages),
    );
    assert.match(client.messages[0].message, /^Citus Rollups: the SQL parser \(libpg-query\.wasm\) did not load: .*magic word.*reinstalling the extension restores the parser\.$/);
    // requests are answered (nothing to say), and the process is still there
    assert.equal(await client.hover(uri, 1, 60), null);
    assert.equal(client.child.exitCode, null, client.stderr);
    assert.equal(client.messages.length, 1);
    assert.equal(client.logs.filter((l) => /did not load/.test(l)).length, 1, client.logs.join('\n'));
  });
});
