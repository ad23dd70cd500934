/**
 * The VS Code extension: a thin shell around the language server (dist/server.js). It starts the
 * client, registers the command table and shows the status bar item; the analysis lives in the server.
 */
import type * as vscode from 'vscode';
import { modelFromSnapshot } from '../core/schema/snapshot';
import { ClusterSnapshotNotification, SchemaSnapshotRequest } from '../protocol';
import { activateCluster } from './cluster';
import { registerCommands } from './commands';
import { Ctx } from './context';
import { registerScaffold } from './scaffold';

let ctx: Ctx | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<{ ctx: Ctx }> {
  ctx = new Ctx(context);
  context.subscriptions.push(ctx);
  registerCommands(ctx);
  await ctx.startClient();
  const current = ctx;
  const cluster = activateCluster(context, ctx.output);
  ctx.cluster = cluster;
  ctx.push(cluster);
  // the connected cluster's metadata replaces the workspace DDL in the analysis (the cluster wins)
  ctx.push(cluster.onDidChangeStatus(() => void current.client?.sendNotification(ClusterSnapshotNotification, { snapshot: cluster.snapshot() ?? null })));
  registerScaffold(context, async (uri) => {
    if (!current.client) return undefined;
    const snapshot = await current.client.sendRequest(SchemaSnapshotRequest, { uri: uri?.toString() });
    const loaded = modelFromSnapshot(snapshot, 'workspace');
    return loaded.ok ? loaded.model : undefined;
  }, () => cluster.extensions());
  return { ctx };
}

export async function deactivate(): Promise<void> {
  await ctx?.stopClient();
  ctx = undefined;
}
