/**
 * The language server, spoken to over stdio by a real LSP client, on real files in a temp directory.
 * The predictor is being improved: these tests assert what is stable (codes, ranges, the shape of
 * lenses and hovers) and exact answers only for cases built to be clear (an unknown target table).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { applyEdits, TestClient } from './client';
import { ensureServerBundle } from './build';
import type { StatusParams } from '../../src/protocol';

const SCHEMA = `-- raw events, sharded by tenant
CREATE TABLE page_views (
    tenant_id int,
    page_id int,
    view_time timestamp DEFAULT now()
);
SELECT create_distributed_table('page_views', 'tenant_id');

CREATE TABLE daily_page_views (
    tenant_id int,
    day date,
    page_id int,
    view_count bigint,
    PRIMARY KEY (tenant_id, day, page_id)
);
SELECT create_distributed_table('daily_page_views', 'tenant_id');
`;

const ROLLUP = `-- rollup
INSERT INTO daily_page_views (tenant_id, day, page_id, view_count)
  SELECT tenant_id, view_time::date, page_id, count(*)
  FROM page_views
  GROUP BY tenant_id, view_time::date, page_id;

INSERT INTO daily_page_views (tenant_id, day, page_id, view_count)
  SELECT tenant_id, view_time::date, page_id, count(*)
  FROM page_views
  GROUP BY tenant_id, view_time::date, page_id
  LIMIT 10;
`;

const syntaxErrors = (d: Diagnostic[]): Diagnostic[] => d.filter((x) => x.code === 'syntax-error');

describe('language server over stdio', function () {
  this.timeout(30000);
  let root: string;
  let client: TestClient;

  before(() => ensureServerBundle());

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'citus-lsp-'));
    fs.writeFileSync(path.join(root, 'schema.sql'), SCHEMA);
    fs.writeFileSync(path.join(root, 'rollups.sql'), ROLLUP);
    client = await TestClient.start({ root });
  });

  afterEach(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('publishes a syntax-error diagnostic with code, doc link, source and range', async () => {
    const uri = client.uri('broken.sql');
    const text = 'SELECT 1;\nSELECT * FROM WHERE x = 1;\n';
    await client.open(uri, text);
    const diags = syntaxErrors(await client.diagnostics(uri, (d) => syntaxErrors(d).length > 0));
    assert.equal(diags.length, 1);
    const d = diags[0];
    assert.equal(d.source, 'citus-rollups');
    assert.equal(d.severity, 1);
    assert.match(d.codeDescription?.href ?? '', /docs\/rules\/syntax-error\.md$/);
    assert.deepEqual(d.range, { start: { line: 1, character: 14 }, end: { line: 1, character: 19 } }, 'the range covers WHERE');
  });

  it('puts ranges after multibyte text (2- and 3-byte UTF-8) at UTF-16 positions', async () => {
    const uri = client.uri('multibyte.sql');
    const line = "SELECT 'héllo € 漢字 wörld' AS grüße, ";
    const text = `-- ünïcödé ✓\n${line}FROM;\n`;
    await client.open(uri, text);
    const [d] = syntaxErrors(await client.diagnostics(uri, (x) => syntaxErrors(x).length > 0));
    assert.ok(d, 'a syntax error is reported');
    assert.deepEqual(d.range.start, { line: 1, character: line.length }, 'starts at FROM, counted in UTF-16 code units');
    assert.deepEqual(d.range.end, { line: 1, character: line.length + 4 });
  });

  // libpg-query reports the error cursor in code points; the core converts it to UTF-16 units.
  it('puts syntax-error ranges after emoji (astral characters) at UTF-16 positions', async () => {
    const uri = client.uri('emoji.sql');
    const line = "SELECT '😀' AS b, ";
    await client.open(uri, `${line}FROM;\n`);
    const [d] = syntaxErrors(await client.diagnostics(uri, (x) => syntaxErrors(x).length > 0));
    assert.deepEqual(d.range.start, { line: 0, character: line.length });
  });

  it('follows incremental edits: an error appears where it is typed and goes when it is removed', async () => {
    const uri = client.uri('rollups.sql');
    await client.open(uri, ROLLUP);
    await client.diagnostics(uri, (d) => syntaxErrors(d).length === 0);
    const before = client.count(uri);
    // turn "FROM page_views" (line 3) into "FROM page_views WHERE" + nothing: a syntax error at ';'? no: at GROUP
    await client.change(uri, [{ range: { start: { line: 3, character: 17 }, end: { line: 3, character: 17 } }, text: ' WHERE' }]);
    const broken = syntaxErrors(await client.diagnostics(uri, (d) => syntaxErrors(d).length > 0, before));
    assert.equal(broken.length, 1);
    assert.equal(broken[0].range.start.line, 4, 'the parser stops at GROUP on the next line');
    assert.equal(broken[0].range.start.character, 2);
    const again = client.count(uri);
    await client.change(uri, [{ range: { start: { line: 3, character: 17 }, end: { line: 3, character: 23 } }, text: '' }]);
    await client.diagnostics(uri, (d) => syntaxErrors(d).length === 0, again);
  });

  it("sends the status bar the document's counts after each analysis: findings by severity, INSERT..SELECTs", async () => {
    const uri = client.uri('rollups.sql');
    const text = `${ROLLUP}\nUPDATE page_views SET page_id = 2 WHERE tenant_id = 1;\n`;
    const opened = client.statuses.length;
    await client.open(uri, text);
    // the status of an analysis follows its publication: the last one once a new one came after `since`
    const settled = async (want: (d: Diagnostic[]) => boolean, since: { diagnostics?: number; statuses: number }): Promise<{ diagnostics: Diagnostic[]; status: StatusParams }> => {
      const diagnostics = await client.diagnostics(uri, want, since.diagnostics);
      for (let i = 0; i < 250 && client.statuses.length <= since.statuses; i++) await new Promise((r) => setTimeout(r, 20));
      return { diagnostics, status: client.statuses.filter((s) => s.uri === uri).at(-1) as StatusParams };
    };
    const bySeverity = (d: Diagnostic[]) => ({ error: d.filter((x) => x.severity === 1).length, warning: d.filter((x) => x.severity === 2).length, information: d.filter((x) => x.severity === 3).length, hint: d.filter((x) => x.severity === 4).length });
    const first = await settled((d) => d.some((x) => x.code !== 'syntax-error'), { statuses: opened });
    assert.equal(first.status.enabled, true);
    assert.equal(first.status.insertSelects, 2, 'two INSERT..SELECTs, the UPDATE is not one');
    assert.deepEqual(first.status.findings, bySeverity(first.diagnostics));
    // an edit that turns the second INSERT..SELECT into a syntax error: one INSERT..SELECT left
    const before = { diagnostics: client.count(uri), statuses: client.statuses.length };
    const line = text.split('\n').findIndex((l) => l.includes('LIMIT 10'));
    await client.change(uri, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: 'WHERE ' }]);
    const after = await settled((d) => syntaxErrors(d).length > 0, before);
    assert.equal(after.status.insertSelects, 1);
    assert.deepEqual(after.status.findings, bySeverity(after.diagnostics));
  });

  it('shows two code lenses per INSERT..SELECT: the prediction and "Explain on cluster"', async () => {
    const uri = client.uri('rollups.sql');
    await client.open(uri, ROLLUP);
    const lenses = await client.codeLenses(uri);
    assert.equal(lenses.length, 4);
    const lines = [...new Set(lenses.map((l) => l.range.start.line))];
    assert.deepEqual(lines, [1, 6], 'one pair above each INSERT');
    const predictions = lenses.filter((l) => l.command?.title.startsWith('Citus:'));
    assert.equal(predictions.length, 2);
    const explain = lenses.filter((l) => l.command?.command === 'citusRollups.explainStatement');
    assert.equal(explain.length, 2);
    assert.equal(explain[0].command?.title, 'Explain on cluster');
    assert.deepEqual(explain[0].command?.arguments, [uri, ROLLUP.indexOf('INSERT')]);
  });

  it("reports PostgreSQL's own errors: the diagnostic, and an error lens with PostgreSQL's message", async () => {
    const uri = client.uri('broken-rollup.sql');
    const text = 'INSERT INTO daily_page_views (tenant_id, day, page_id, view_count)\n  SELECT view_time::date, tenant_id, page_id, count(*)\n  FROM page_views GROUP BY 1, 2, 3;\n';
    await client.open(uri, text);
    const diags = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'insert-type-mismatch'));
    const first = diags.find((x) => x.code === 'insert-type-mismatch')!;
    assert.equal(first.severity, 1);
    assert.match(first.message, /^column "tenant_id" is of type integer but expression is of type date/);
    assert.deepEqual(first.range.start, { line: 1, character: 9 }, 'on the swapped expression');
    const lens = (await client.codeLenses(uri)).find((l) => l.command?.title.startsWith('Citus:'));
    assert.equal(lens?.command?.title, 'Citus: error — type mismatch');
    assert.match((lens?.command as { tooltip?: string } | undefined)?.tooltip ?? '', /ERROR: {2}column "tenant_id" is of type integer but expression is of type date/);
  });

  it('says a prediction is not possible when the target table is unknown', async () => {
    const uri = client.uri('unknown.sql');
    await client.open(uri, 'INSERT INTO no_such_table SELECT * FROM page_views;\n');
    const lenses = await client.codeLenses(uri);
    const prediction = lenses.find((l) => l.command?.title.startsWith('Citus:'));
    assert.ok(prediction);
    assert.match(prediction.command?.title ?? '', /unknown/i);
    assert.doesNotMatch(prediction.command?.title ?? '', /pushdown/);
  });

  it('hovers a table name with its distribution column, colocation group and definition site', async () => {
    const uri = client.uri('rollups.sql');
    await client.open(uri, ROLLUP);
    const hover = await client.hover(uri, 3, 10); // "page_views" in FROM
    assert.ok(hover, 'a hover is returned');
    const md = (hover.contents as { value: string }).value;
    assert.match(md, /page_views/);
    assert.match(md, /Distribution column: `tenant_id` \(`integer`\)/);
    assert.match(md, /Colocation group \d+: .*`daily_page_views`.*`page_views`/);
    assert.match(md, /Shards: 32/);
    // links that open the file at the line (VS Code's opener selects the line of a #L fragment)
    const schemaUrl = pathToFileURL(path.join(root, 'schema.sql')).href.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    assert.match(md, new RegExp(`Defined at: \\[\`schema\\.sql:2\`\\]\\(${schemaUrl}#L2\\)`));
    assert.match(md, new RegExp(`Distributed at: \\[\`schema\\.sql:7\`\\]\\(${schemaUrl}#L7\\)`));
    assert.deepEqual(hover.range, { start: { line: 3, character: 7 }, end: { line: 3, character: 17 } });
  });

  it('shows no table hover on function names that look like catalogs (pg_*, citus_*)', async () => {
    const uri = client.uri('functions.sql');
    await client.open(uri, 'SELECT pg_sleep(1), citus_version();\n');
    assert.equal(await client.hover(uri, 0, 9), null);
    assert.equal(await client.hover(uri, 0, 22), null);
  });

  it('hovers the INSERT keyword with the prediction', async () => {
    const uri = client.uri('rollups.sql');
    await client.open(uri, ROLLUP);
    const hover = await client.hover(uri, 1, 2);
    assert.ok(hover);
    const md = (hover.contents as { value: string }).value;
    assert.match(md, /^\*\*Citus: /);
    assert.match(md, /Target: `daily_page_views`/);
    assert.equal(await client.hover(uri, 0, 4), null, 'nothing to say about a comment word');
    // the LIMIT statement: Citus' reason quoted once, the finding in our words, its explanation
    const limit = ((await client.hover(uri, 6, 2))?.contents as { value: string }).value;
    assert.match(limit, /^\*\*Citus: pull to coordinator — LIMIT\*\*/);
    assert.equal(limit.split('Limit clause is currently unsupported').length - 1, 1, limit);
    assert.match(limit, /\*\*limit-offset-blocks-pushdown\*\*: LIMIT\/OFFSET\/ORDER BY needs the coordinator \(Citus' reason below\)/);
    assert.ok(limit.indexOf('limit-offset-blocks-pushdown') < limit.indexOf("Citus' reason:"), 'our words first');
  });

  it('says single- or multi-shard on modifications: hover on the keyword, lens on multi-shard UPDATE/DELETE', async () => {
    const uri = client.uri('maintenance.sql');
    const text = "UPDATE page_views SET page_id = 1 WHERE tenant_id = 5;\nDELETE FROM page_views WHERE page_id = 3;\n";
    await client.open(uri, text);
    await client.diagnostics(uri, () => true);
    const single = await client.hover(uri, 0, 2);
    assert.ok(single);
    assert.match((single.contents as { value: string }).value, /^\*\*Citus: single shard/);
    const multi = await client.hover(uri, 1, 2);
    assert.ok(multi);
    const md = (multi.contents as { value: string }).value;
    assert.match(md, /^\*\*Citus: multi-shard — 32 shards\*\*/);
    assert.match(md, /Runs on 32 shards in parallel/);
    const lenses = await client.codeLenses(uri);
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.title]),
      [[1, 'Citus: multi-shard — 32 shards']],
    );
  });

  it('lists one document symbol per statement, INSERT..SELECT named by its target', async () => {
    const schemaUri = client.uri('schema.sql');
    await client.open(schemaUri, SCHEMA);
    const schemaSymbols = (await client.symbols(schemaUri)).map((s) => s.name);
    assert.deepEqual(schemaSymbols, [
      'CREATE TABLE page_views',
      'create_distributed_table(page_views, tenant_id)',
      'CREATE TABLE daily_page_views',
      'create_distributed_table(daily_page_views, tenant_id)',
    ]);
    const uri = client.uri('rollups.sql');
    await client.open(uri, ROLLUP);
    assert.deepEqual(
      (await client.symbols(uri)).map((s) => s.name),
      ['INSERT INTO daily_page_views', 'INSERT INTO daily_page_views'],
    );
  });

  it('offers the rule doc for a syntax error, but not "disable" (parse errors cannot be disabled)', async () => {
    const uri = client.uri('broken.sql');
    await client.open(uri, 'SELECT FROM FROM;\n');
    const diags = syntaxErrors(await client.diagnostics(uri, (d) => syntaxErrors(d).length > 0));
    const actions = await client.codeActions(uri, diags);
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Open documentation for syntax-error'],
    );
    assert.equal(actions[0].command?.command, 'citusRollups.openRuleDoc');
    assert.match(String(actions[0].command?.arguments?.[0]), /syntax-error\.md$/);
  });

  it("offers the near-miss table of a Citus call as a quick fix, which removes the unknown-table warning", async () => {
    const uri = client.uri('distribute.sql');
    const sql = "CREATE TABLE events_typo_check (tenant_id int);\nSELECT create_distributed_table('events_typo_chek', 'tenant_id');\n";
    await client.open(uri, sql);
    const diags = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'unknown-table'));
    const finding = diags.find((d) => d.code === 'unknown-table')!;
    assert.match(finding.message, /Perhaps you meant the table "events_typo_check"/);
    const fix = (await client.codeActions(uri, [finding])).find((a) => a.title === "Change to 'events_typo_check'");
    assert.ok(fix?.edit?.changes?.[uri], 'a quick fix with an edit');
    const n = client.count(uri);
    await client.change(uri, [{ text: applyEdits(sql, fix.edit.changes[uri]) }]);
    const after = await client.diagnostics(uri, () => true, n);
    assert.ok(!after.some((d) => d.code === 'unknown-table'), 'the fix removes the warning');
  });

  it('applies code actions cleanly: the fix or the disable directive removes the finding', async () => {
    const uri = client.uri('rollups.sql');
    await client.open(uri, ROLLUP);
    // (a newly opened file shows its syntax errors first: wait for the analysis' findings)
    const diags = await client.diagnostics(uri, (d) => d.some((x) => x.code !== 'syntax-error'));
    const finding = diags.find((d) => d.code !== 'syntax-error');
    assert.ok(finding, 'the LIMIT rollup has a finding');
    const actions = await client.codeActions(uri, [finding]);
    const disable = actions.find((a) => a.title === `Disable ${String(finding.code)} for this statement`);
    assert.ok(disable?.edit?.changes?.[uri], 'a disable action with an edit');
    let text = applyEdits(ROLLUP, disable.edit.changes[uri]);
    assert.match(text, new RegExp(`-- citus-rollups-disable-next-statement ${String(finding.code)}\\n`));
    const n = client.count(uri);
    await client.change(uri, [{ text }]);
    const after = await client.diagnostics(uri, () => true, n);
    assert.ok(!after.some((d) => d.code === finding.code && d.range.start.line === finding.range.start.line + 1), 'the finding is disabled');
    assert.equal(syntaxErrors(after).length, 0, 'the edited file still parses');

    const fix = actions.find((a) => a.isPreferred && a.edit);
    if (fix) {
      text = applyEdits(ROLLUP, fix.edit?.changes?.[uri] ?? []);
      const m = client.count(uri);
      await client.change(uri, [{ text }]);
      const fixed = await client.diagnostics(uri, () => true, m);
      assert.equal(syntaxErrors(fixed).length, 0, 'the fixed file parses');
      assert.ok(!fixed.some((d) => d.code === finding.code && d.range.start.line === finding.range.start.line), 'the fix removes the finding');
    }
  });

  it('re-analyses an open document when a schema file changes on disk or in the editor', async () => {
    const uri = client.uri('events.sql');
    const text = 'INSERT INTO events_rollup (tenant_id, n)\n  SELECT tenant_id, count(*) FROM page_views GROUP BY tenant_id;\n';
    fs.writeFileSync(path.join(root, 'events.sql'), text);
    await client.open(uri, text);
    // (the syntax errors come first: wait for the analysis' diagnostics, which know the table is missing)
    const unknown = (d: Diagnostic[]): boolean => d.some((x) => x.code === 'unknown-table');
    await client.diagnostics(uri, unknown);
    assert.match((await client.codeLenses(uri))[0].command?.title ?? '', /unknown/i);

    // The table appears in a schema file on disk: the diagnostics, the lens and hover follow.
    const ddl = 'CREATE TABLE events_rollup (tenant_id int, n bigint);\nSELECT create_distributed_table(\'events_rollup\', \'tenant_id\');\n';
    fs.writeFileSync(path.join(root, 'events_schema.sql'), ddl);
    const n = client.count(uri);
    await client.watchedFileChanged(client.uri('events_schema.sql'), 1);
    await client.diagnostics(uri, (d) => !unknown(d), n);
    assert.doesNotMatch((await client.codeLenses(uri))[0].command?.title ?? '', /unknown/i);
    let md = ((await client.hover(uri, 0, 15))?.contents as { value: string }).value;
    assert.match(md, /Distribution column: `tenant_id`/);
    assert.match(md, /events_schema\.sql:1/);

    // The distribution changes in an open (unsaved) editor of the schema file: the dependent file follows (the
    // count goes into the new distribution column: no longer colocated, repartitioned).
    const m = client.count(uri);
    await client.open(client.uri('events_schema.sql'), ddl.replace("'tenant_id')", "'n')"));
    await client.diagnostics(uri, (d) => d.some((x) => x.code === 'dist-column-not-preserved'), m);
    md = ((await client.hover(uri, 0, 15))?.contents as { value: string }).value;
    assert.match(md, /Distribution column: `n` \(`bigint`\)/);

    // Deleted from disk while closed: the table is unknown again.
    await client.close(client.uri('events_schema.sql'));
    fs.rmSync(path.join(root, 'events_schema.sql'));
    const k = client.count(uri);
    await client.watchedFileChanged(client.uri('events_schema.sql'), 3);
    await client.diagnostics(uri, unknown, k);
    assert.match((await client.codeLenses(uri))[0].command?.title ?? '', /unknown/i);
  });

  it('keeps serving after a broken document (binary junk, unterminated quotes, huge lines)', async () => {
    const junk = client.uri('junk.sql');
    const text = "\u0001\uFFFD$$ unterminated\nSELECT 'no end\n" + 'x'.repeat(200_000) + '\nCREATE TABLE (;\n';
    await client.open(junk, text);
    const diags = await client.diagnostics(junk);
    assert.ok(syntaxErrors(diags).length >= 1, 'the junk is reported as a syntax error');
    const uri = client.uri('rollups.sql');
    await client.open(uri, ROLLUP);
    assert.equal((await client.codeLenses(uri)).length, 4, 'the server still answers');
    await client.change(junk, [{ text: 'SELECT 1;' }]);
    await client.diagnostics(junk, (d) => d.length === 0);
  });

  it('does not analyse a huge document as you type, and says so', async () => {
    const uri = client.uri('huge.sql');
    const stmt = 'INSERT INTO daily_page_views (tenant_id, day, page_id, view_count) SELECT tenant_id, view_time::date, page_id, count(*) FROM page_views GROUP BY 1, 2, 3 LIMIT 1;\n';
    await client.open(uri, stmt.repeat(Math.ceil(2_100_000 / stmt.length)));
    const diags = await client.diagnostics(uri, (d) => d.length > 0);
    assert.equal(diags.length, 1);
    assert.match(diags[0].message, /too large to analyse as you type/);
    assert.deepEqual(await client.codeLenses(uri), []);
  });

  it('applies settings per change without a restart: rule severities and enable', async () => {
    const uri = client.uri('broken.sql');
    await client.open(uri, 'SELECT FROM FROM;\n');
    await client.diagnostics(uri, (d) => syntaxErrors(d).some((x) => x.severity === 1));
    let n = client.count(uri);
    await client.changeSettings({ rules: { 'syntax-error': 'warning' } });
    await client.diagnostics(uri, (d) => syntaxErrors(d).some((x) => x.severity === 2), n);
    n = client.count(uri);
    await client.changeSettings({ enable: false });
    await client.diagnostics(uri, (d) => d.length === 0, n);
    assert.deepEqual(await client.codeLenses(uri), []);
    n = client.count(uri);
    await client.changeSettings({});
    await client.diagnostics(uri, (d) => syntaxErrors(d).length === 1, n);
  });

  it('reads a metadata snapshot named by schema.snapshotPath, and reports a bad one in the log', async () => {
    const snapshot = {
      format: 'citus-rollups-snapshot',
      version: 1,
      tables: [
        {
          schema: 'public',
          name: 'clicks',
          kind: 'hash',
          columns: [{ name: 'site_id', type: 'bigint' }, { name: 'n', type: 'bigint' }],
          distributionColumn: 'site_id',
          colocationId: 7,
          shardCount: 16,
        },
      ],
      colocationGroups: [{ id: 7, shardCount: 16, distributionColumnType: 'bigint', kind: 'hash' }],
    };
    fs.mkdirSync(path.join(root, 'meta'));
    fs.writeFileSync(path.join(root, 'meta', 'catalog.json'), JSON.stringify(snapshot));
    const uri = client.uri('clicks.sql');
    await client.open(uri, 'INSERT INTO clicks SELECT site_id, 1 FROM clicks;\n');
    await client.diagnostics(uri);
    assert.equal(await client.hover(uri, 0, 14), null, 'not known before the setting');
    const n = client.count(uri);
    await client.changeSettings({ schema: { snapshotPath: 'meta/catalog.json' } });
    await client.diagnostics(uri, () => true, n);
    const md = ((await client.hover(uri, 0, 14))?.contents as { value: string }).value;
    assert.match(md, /Distribution column: `site_id` \(`bigint`\)/);
    assert.match(md, /Shards: 16/);
    assert.match(md, /Defined at: `meta\/catalog\.json`/);
    assert.ok(client.registrations.some((r) => JSON.stringify(r.registerOptions).includes('catalog.json')), 'the snapshot is watched');

    fs.writeFileSync(path.join(root, 'meta', 'catalog.json'), '{ not json');
    const m = client.count(uri);
    await client.watchedFileChanged(client.uri('meta/catalog.json'), 2);
    await client.diagnostics(uri, () => true, m);
    // (the log line may come after a publication the settings change started)
    assert.match(await client.log(/cannot read snapshot .*catalog\.json/), /catalog\.json/);
    assert.equal(await client.hover(uri, 0, 14), null);
  });

  it('answers the EXPLAIN panel: the lens prediction of a statement and the tables the cluster does not have', async () => {
    const uri = client.uri('rollups.sql');
    await client.open(uri, ROLLUP);
    await client.diagnostics(uri);
    const offset = ROLLUP.indexOf('INSERT');
    type Prediction = { method: string; reasons: string[]; summary?: string; notOnCluster: { table: string; definedAt?: string }[] };
    const ask = (at: number): Promise<Prediction | null> => client.conn.sendRequest('citus/statementPrediction', { uri, offset: at });
    const before = await ask(offset);
    assert.equal(before?.method, 'pushdown');
    assert.deepEqual(before?.notOnCluster, [], 'no cluster, nothing missing');
    assert.equal(await ask(offset + 3), null, 'only where a statement starts');
    // a cluster that has page_views but not daily_page_views: the workspace's table is kept, and said to be missing there
    const cluster = {
      format: 'citus-rollups-snapshot',
      version: 1,
      tables: [{ schema: 'public', name: 'page_views', kind: 'hash', columns: [{ name: 'tenant_id', type: 'integer' }, { name: 'page_id', type: 'integer' }, { name: 'view_time', type: 'timestamp without time zone' }], distributionColumn: 'tenant_id', colocationId: 1, shardCount: 32 }],
      colocationGroups: [{ id: 1, shardCount: 32, distributionColumnType: 'integer', kind: 'hash' }],
    };
    const n = client.count(uri);
    await client.conn.sendNotification('citus/clusterSnapshot', { snapshot: cluster });
    await client.diagnostics(uri, () => true, n);
    const after = await ask(offset);
    const lens = (await client.codeLenses(uri)).find((l) => l.command?.title.startsWith('Citus:'));
    assert.equal(after?.method, 'pushdown');
    assert.match(lens?.command?.title ?? '', /pushdown/, 'the same prediction as the lens');
    assert.deepEqual(after?.notOnCluster, [{ table: 'public.daily_page_views', definedAt: 'schema.sql:9' }]);
    const roles = (await client.conn.sendRequest('citus/tableRoles', { uri })) as { rollupTargets: string[]; workspaceOnly: string[]; connected: boolean };
    assert.deepEqual(roles, { rollupTargets: ['public.daily_page_views'], workspaceOnly: ['public.daily_page_views'], connected: true });
    // each schema file, document and re-analysis merges again: the Output channel says it once per cluster change
    const other = client.uri('more.sql');
    await client.open(other, ROLLUP.replace('-- rollup', '-- another file'));
    await client.diagnostics(other, (d) => d.some((x) => x.code !== 'syntax-error'));
    const missing = client.logs.filter((l) => /daily_page_views is distributed in the workspace .* but does not exist on the cluster/.test(l));
    assert.equal(missing.length, 1, client.logs.join('\n'));
  });
});
