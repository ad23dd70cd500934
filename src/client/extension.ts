/**
 * The VS Code extension: a thin shell around the language server (dist/server.js). It starts the
 * client, registers the command table and shows the status bar item; the analysis lives in the server.
 */
import type * as vscode from 'vscode';
import { registerCommands } from './commands';
import { Ctx } from './context';

let ctx: Ctx | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<{ ctx: Ctx }> {
  ctx = new Ctx(context);
  context.subscriptions.push(ctx);
  registerCommands(ctx);
  await ctx.startClient();
  return { ctx };
}

export async function deactivate(): Promise<void> {
  await ctx?.stopClient();
  ctx = undefined;
}
