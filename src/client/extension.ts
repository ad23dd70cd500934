/**
 * The VS Code extension: a thin shell around the language server (dist/server.js). It starts the
 * client, registers the command table and shows the status bar item; the analysis lives in the server.
 */
import * as vscode from 'vscode';
import { modelFromSnapshot } from '../core/schema/snapshot';
import {
  ClusterSnapshotNotification,
  SchemaSnapshotRequest,
  StatementPredictionRequest,
  TableRolesRequest,
  type StatementPrediction,
  type StatementPredictionParams,
  type TableRoles,
  type TableRolesParams,
} from '../protocol';
import { activateCluster } from './cluster';
import { registerCommands } from './commands';
import { Ctx, DOCUMENT_SELECTOR } from './context';
import { showExampleAfterReload } from './examples';
import { markProgress, progressMarked, type ProgressKey } from './progress';
import { registerScaffold } from './scaffold';

let ctx: Ctx | undefined;

/** The extension's API (for tests and other extensions): its context object and the walkthrough steps done. */
export interface CitusRollupsApi {
  ctx: Ctx;
  walkthroughProgress(): ProgressKey[];
}

export async function activate(context: vscode.ExtensionContext): Promise<CitusRollupsApi> {
  ctx = new Ctx(context);
  context.subscriptions.push(ctx);
  registerCommands(ctx);
  await ctx.startClient();
  const current = ctx;
  const cluster = activateCluster(context, ctx.output, async (uri, offset) =>
    current.client?.sendRequest<StatementPrediction | null>(StatementPredictionRequest, { uri: uri.toString(), offset } satisfies StatementPredictionParams),
  );
  ctx.cluster = cluster;
  ctx.push(cluster);
  // the connected cluster's metadata replaces the workspace DDL in the analysis (the cluster wins)
  ctx.push(cluster.onDidChangeStatus(() => void current.client?.sendNotification(ClusterSnapshotNotification, { snapshot: cluster.snapshot() ?? null })));
  registerScaffold(context, async (uri) => {
    if (!current.client) return undefined;
    const [snapshot, roles] = await Promise.all([
      current.client.sendRequest(SchemaSnapshotRequest, { uri: uri?.toString() }),
      current.client.sendRequest<TableRoles>(TableRolesRequest, { uri: uri?.toString() } satisfies TableRolesParams),
    ]);
    const loaded = modelFromSnapshot(snapshot, 'workspace');
    return loaded.ok ? { model: loaded.model, roles } : undefined;
  }, () => cluster.extensions());
  // the walkthrough's first step: a SQL file in an editor
  const isSql = (e: vscode.TextEditor | undefined): boolean => !!e && vscode.languages.match(DOCUMENT_SELECTOR, e.document) > 0;
  if (isSql(vscode.window.activeTextEditor)) markProgress('sqlFileOpened');
  ctx.push(vscode.window.onDidChangeActiveTextEditor((e) => isSql(e) && markProgress('sqlFileOpened')));
  void showExampleAfterReload(context).catch((e: unknown) => current.output.appendLine(`example workspace: ${String(e)}`));
  return { ctx, walkthroughProgress: progressMarked };
}

export async function deactivate(): Promise<void> {
  await ctx?.stopClient();
  ctx = undefined;
}
