/**
 * "Citus Rollups: New rollup…": a short wizard (quick picks from the schema model) that writes a rollup
 * script with the core generator and opens it in a new editor; plus a code action on a
 * `create_distributed_table` call: "Create rollup for this table". The lead wires `registerScaffold`
 * into the extension with a function that returns the current workspace schema model, and one that reads
 * the connected cluster's extensions: hll sketches and a pg_cron schedule are offered only when the cluster
 * has what they need, and otherwise the wizard says why.
 */
import * as vscode from 'vscode';
import { rollupCapabilities, type Capability, type ExtensionReport, type RollupCapabilities } from '../../core/rollup/capabilities';
import { checkRollupName, defaultRollupName, generateRollup, ingestionCandidates, RollupError, sequenceColumns, type Strategy } from '../../core/rollup/generate';
import { isSummable, measureText, type MeasureSpec } from '../../core/rollup/measures';
import { resolveRegclass } from '../../core/schema/ddl';
import { displayName, type SchemaModel, type TableModel } from '../../core/schema/model';
import type { TableRoles } from '../../protocol';
import { markProgress } from '../progress';
import { scriptFileName, sourceTableGroups } from './tables';

export const NEW_ROLLUP_COMMAND = 'citusRollups.newRollup';

/** The schema the wizard offers, and what the workspace does with its tables (rollups, tables not on the cluster). */
export interface WizardSchema {
  model: SchemaModel;
  roles?: TableRoles;
}

export type SchemaModelProvider = (uri?: vscode.Uri) => WizardSchema | undefined | Promise<WizardSchema | undefined>;

/** The connected cluster's extensions (coordinator and workers); undefined when not connected. */
export type ExtensionsProvider = () => Promise<ExtensionReport | undefined>;

export function registerScaffold(context: vscode.ExtensionContext, getSchemaModel: SchemaModelProvider, getExtensions?: ExtensionsProvider): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(NEW_ROLLUP_COMMAND, async (tableName?: string, uri?: vscode.Uri) => {
      const active = vscode.window.activeTextEditor?.document.uri;
      const schema = await getSchemaModel(uri ?? active);
      if (!schema) {
        void vscode.window.showErrorMessage('Citus Rollups: no schema yet — open or add SQL files with your CREATE TABLE and create_distributed_table statements, or set a metadata snapshot.');
        return;
      }
      const where = uri?.scheme === 'file' ? uri : active?.scheme === 'file' ? active : undefined;
      await runWizard(schema.model, typeof tableName === 'string' ? tableName : undefined, { roles: schema.roles, near: where, capabilities: await clusterCapabilities(getExtensions) });
    }),
    vscode.languages.registerCodeActionsProvider({ language: 'sql' }, new CreateRollupActions(), { providedCodeActionKinds: [vscode.CodeActionKind.Refactor] }),
  );
}

const CALL_RE = /create_distributed_table(?:_concurrently)?\s*\(\s*'((?:[^']|'')+)'/gi;

/** "Create rollup for this table" on a create_distributed_table call. */
export class CreateRollupActions implements vscode.CodeActionProvider {
  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    for (let line = range.start.line; line <= range.end.line && line < document.lineCount; line++) {
      const text = document.lineAt(line).text;
      for (const m of text.matchAll(CALL_RE)) {
        const name = m[1].replace(/''/g, "'");
        const action = new vscode.CodeAction(`Create rollup for ${name}`, vscode.CodeActionKind.Refactor);
        action.command = { command: NEW_ROLLUP_COMMAND, title: `Create rollup for ${name}`, arguments: [name, document.uri] };
        out.push(action);
      }
    }
    return out;
  }
}

interface Item<T> extends vscode.QuickPickItem {
  value: T;
  /** why this option cannot be used here (picking it says so and asks again) */
  unavailable?: string;
}

/** What the connected cluster lets the rollup use; when reading it fails, the options are offered as not checked. */
export async function clusterCapabilities(getExtensions?: ExtensionsProvider): Promise<RollupCapabilities> {
  try {
    return rollupCapabilities(await getExtensions?.());
  } catch (e) {
    const notChecked: Capability = { usable: undefined, reason: `not checked: reading the cluster's extensions failed (${(e as Error).message ?? String(e)})`, summary: 'not checked: reading the cluster failed' };
    return { hll: notChecked, cron: notChecked };
  }
}

/** The option's description: what it is, or why it is unavailable / unchecked. */
function describe(what: string, c: Capability): { description: string; unavailable?: string } {
  if (c.usable === false) return { description: `unavailable: ${c.summary ?? c.reason}`, unavailable: c.reason };
  return { description: c.usable === undefined ? `${what} (${c.summary ?? c.reason})` : what };
}

async function pick<T>(items: Item<T>[], title: string, placeHolder: string): Promise<T | undefined> {
  for (;;) {
    const r = await vscode.window.showQuickPick(items, { title, placeHolder, ignoreFocusOut: true });
    if (!r?.unavailable) return r?.value;
    await vscode.window.showWarningMessage(`Citus Rollups: ${r.label} is unavailable: ${r.unavailable}`, { modal: true });
  }
}

async function pickMany<T>(items: Item<T>[], title: string, placeHolder: string): Promise<T[] | undefined> {
  const r = await vscode.window.showQuickPick(items, { title, placeHolder, canPickMany: true, ignoreFocusOut: true });
  return r?.map((x) => x.value);
}

const TITLE = 'New rollup';

export interface WizardOptions {
  roles?: TableRoles;
  /** what the connected cluster has (hll, pg_cron); unchecked when absent */
  capabilities?: RollupCapabilities;
  /** a file the script goes beside (the active SQL file); else the first workspace folder */
  near?: vscode.Uri;
}

/** The wizard; returns the generated script (also opened in an editor), or undefined when cancelled. */
export async function runWizard(model: SchemaModel, tableName?: string, options: WizardOptions = {}): Promise<string | undefined> {
  const capabilities = options.capabilities ?? rollupCapabilities(undefined);
  const groups = sourceTableGroups(model, options.roles);
  const hash = groups.flatMap((g) => g.tables.map((t) => t.table));
  let source: TableModel | undefined = tableName ? resolveRegclass(tableName, model, ['public']) : undefined;
  if (tableName && (!source || source.kind !== 'hash')) {
    void vscode.window.showWarningMessage(`Citus Rollups: ${tableName} is not a hash-distributed table in the schema model; a rollup needs one to co-locate with.`);
    source = undefined;
  }
  if (!source) {
    if (hash.length === 0) {
      void vscode.window.showErrorMessage('Citus Rollups: the schema has no hash-distributed table. Distribute the raw table first: SELECT create_distributed_table(\'events\', \'tenant_id\');');
      return undefined;
    }
    const items: Item<TableModel | undefined>[] = groups.flatMap((g) => [
      { label: g.title, kind: vscode.QuickPickItemKind.Separator, value: undefined },
      ...g.tables.map((t) => ({ label: displayName(t.table), description: t.description, value: t.table })),
    ]);
    source = await pick(items, `${TITLE} (1/6)`, 'The table to roll up (raw events, or a rollup to roll up further)');
    if (!source) return undefined;
  }
  const timeCols = source.columns.filter((c) => ['timestamp with time zone', 'timestamp without time zone', 'date'].includes(c.type));
  if (timeCols.length === 0) {
    void vscode.window.showErrorMessage(`Citus Rollups: ${displayName(source)} has no timestamp, timestamptz or date column to bucket by.`);
    return undefined;
  }
  const timeColumn = await pick(timeCols.map((c) => ({ label: c.name, description: c.type, value: c.name })), `${TITLE} (2/6)`, 'The event time column');
  if (!timeColumn) return undefined;
  const isDate = timeCols.find((c) => c.name === timeColumn)?.type === 'date';
  const grans = (isDate ? ['day', 'week', 'month'] : ['minute', 'hour', 'day', 'week', 'month']).map((g) => ({ label: g, value: g }));
  let granularity = await pick([...grans, ...(isDate ? [] : [{ label: 'Other interval…', value: '' }])], `${TITLE} (3/6)`, 'Bucket size');
  if (granularity === undefined) return undefined;
  if (granularity === '') {
    granularity = await vscode.window.showInputBox({ title: TITLE, prompt: 'Bucket interval', value: '15 minutes', ignoreFocusOut: true });
    if (!granularity) return undefined;
  }
  const dimCandidates = source.columns.filter((c) => c.name !== source!.distributionColumn && c.name !== timeColumn && !['jsonb', 'json'].includes(c.type));
  const dimensions = await pickMany(dimCandidates.map((c) => ({ label: c.name, description: c.type, value: c.name })), `${TITLE} (4/6)`, `Group by (besides ${source.distributionColumn} and the bucket)`);
  if (!dimensions) return undefined;
  const measureItems: Item<MeasureSpec>[] = [{ label: 'count(*)', value: { fn: 'count' }, picked: true }];
  for (const c of source.columns) {
    if (c.name === source.distributionColumn || dimensions.includes(c.name)) continue;
    if (isSummable(c.type)) for (const fn of ['sum', 'avg', 'min', 'max'] as const) measureItems.push({ label: `${fn}(${c.name})`, value: { fn, column: c.name } });
    else if (['timestamp with time zone', 'timestamp without time zone', 'date', 'text'].includes(c.type)) for (const fn of ['min', 'max'] as const) measureItems.push({ label: `${fn}(${c.name})`, value: { fn, column: c.name } });
    measureItems.push({ label: `count(${c.name})`, value: { fn: 'count', column: c.name } });
    measureItems.push({ label: `count(distinct ${c.name})`, description: describe('HyperLogLog sketch (hll extension)', capabilities.hll).description, value: { fn: 'count_distinct', column: c.name } });
  }
  const measures = await pickMany(measureItems, `${TITLE} (5/6)`, 'Measures');
  if (!measures || measures.length === 0) return undefined;
  let hll = false;
  if (measures.some((m) => m.fn === 'count_distinct')) {
    const why = 'An exact count(distinct …) cannot be rolled up incrementally: two windows can contain the same value, so adding their counts double-counts it.';
    const answer =
      capabilities.hll.usable === false
        ? await vscode.window.showWarningMessage(
            `${why} HyperLogLog sketches would do, but this cluster cannot store them: ${capabilities.hll.reason}.`,
            { modal: true },
            'Drop distinct counts',
          )
        : await vscode.window.showInformationMessage(
            `${why} Store HyperLogLog sketches instead (hll extension, about 2% error)?${capabilities.hll.usable === undefined ? ` The hll extension is ${capabilities.hll.reason}.` : ''}`,
            { modal: true },
            'Use hll',
            'Drop distinct counts',
          );
    if (answer === undefined) return undefined;
    hll = answer === 'Use hll';
    if (!hll) measures.splice(0, measures.length, ...measures.filter((m) => m.fn !== 'count_distinct'));
    if (measures.length === 0) return undefined;
  }
  const seqCols = sequenceColumns(source);
  const strategies: Item<Strategy>[] = [
    { label: 'Time window', description: 'watermark on a time column, with a lag for in-flight rows', value: 'time-window' },
    seqCols.length > 0
      ? { label: 'Sequence window', description: `exactly once, by ${seqCols[0].name}`, value: 'sequence' }
      : { label: 'Sequence window', ...describe('', { usable: false, reason: `${displayName(source)} has no bigserial/identity column to number the rows` }), value: 'sequence' },
  ];
  const strategy = await pick(strategies, `${TITLE} (6/6)`, 'How to find new rows');
  if (!strategy) return undefined;
  let ingestionTimeColumn: string | undefined;
  const cands = ingestionCandidates(source, timeColumn);
  if (strategy === 'time-window' && cands.length > 0) {
    ingestionTimeColumn = await pick(
      [{ label: timeColumn, description: 'window on the event time (late events are missed)', value: '' }, ...cands.map((c) => ({ label: c, description: 'window on the arrival time (catches late events)', value: c }))],
      TITLE,
      'Which column decides what is new?',
    );
    if (ingestionTimeColumn === undefined) return undefined;
  }
  const schedule = await pick<string>(
    [
      { label: 'No schedule', description: 'call the rollup function yourself, or from your own scheduler', value: '' },
      { label: 'Every minute with pg_cron', ...describe("cron.schedule('* * * * *', ...), a named job", capabilities.cron), value: '* * * * *' },
    ],
    TITLE,
    'Run the rollup on a schedule?',
  );
  if (schedule === undefined) return undefined;
  const name = await askName(model, source, granularity, strategy);
  if (name === undefined) return undefined;
  try {
    const r = generateRollup({ source, timeColumn, granularity, dimensions, measures, strategy, hll, name, cronSchedule: schedule || undefined, ingestionTimeColumn: ingestionTimeColumn || undefined, idColumn: strategy === 'sequence' ? seqCols[0].name : undefined }, model);
    await openScript(r.script, r.rollupTable, options.near);
    markProgress('rollupGenerated');
    return r.script;
  } catch (e) {
    if (e instanceof RollupError) {
      void vscode.window.showErrorMessage(`Citus Rollups: ${e.message} (${measures.map(measureText).join(', ')})`);
      return undefined;
    }
    throw e;
  }
}

/**
 * Opens the script as an untitled editor named `rollup_<table>.sql` beside the active SQL file (or in the first
 * workspace folder): its tab shows that name, and Save writes it there (Save As… picks another place). A name that
 * is taken on disk or by an open editor gets a number. Without a folder it is a plain untitled SQL editor.
 */
export async function openScript(script: string, rollupTable: string, near?: vscode.Uri): Promise<vscode.TextDocument> {
  const folder = near ? vscode.Uri.joinPath(near, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
  let doc: vscode.TextDocument | undefined;
  for (let attempt = 1; folder && !doc && attempt < 100; attempt++) {
    const file = vscode.Uri.joinPath(folder, scriptFileName(rollupTable, attempt));
    const untitled = file.with({ scheme: 'untitled' });
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === untitled.toString() || d.uri.toString() === file.toString())) continue;
    if (await exists(file)) continue;
    doc = await vscode.workspace.openTextDocument(untitled);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(untitled, new vscode.Position(0, 0), script);
    await vscode.workspace.applyEdit(edit);
  }
  doc ??= await vscode.workspace.openTextDocument({ language: 'sql', content: script });
  await vscode.window.showTextDocument(doc);
  return doc;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * The rollup's name (its table, function and bookkeeping row). A name taken by a table in the schema is flagged:
 * the script installs over it only when it is this same rollup (its install guard refuses anything else).
 */
async function askName(model: SchemaModel, source: TableModel, granularity: string, strategy: Strategy): Promise<string | undefined> {
  const base = defaultRollupName(source.name, granularity);
  const taken = (n: string): boolean => model.get(source.schema, n) !== undefined;
  const suggestion = taken(base) ? `${base}_${strategy === 'sequence' ? 'seq' : 'tw'}` : base;
  return vscode.window.showInputBox({
    title: TITLE,
    prompt: `Name of the rollup table (in schema ${source.schema}); the function is rollup_<name>`,
    value: suggestion,
    ignoreFocusOut: true,
    validateInput: (n) =>
      checkRollupName(n) ??
      (taken(n) ? { message: `${source.schema}.${n} exists: the script stops unless it is this same rollup (its install guard checks)`, severity: vscode.InputBoxValidationSeverity.Warning } : undefined),
  });
}
