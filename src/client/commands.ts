/** The command table: every command the extension registers, in one place. */
import * as vscode from 'vscode';
import { Commands, ReloadSchemaRequest, type SchemaStatus } from '../protocol';
import type { Ctx } from './context';
import { createExampleWorkspace, type CreateExampleOptions } from './examples';
import { explainStatement } from './explain';
import { markProgress } from './progress';

type Handler = (ctx: Ctx, ...args: any[]) => unknown;

export const COMMANDS: Record<string, Handler> = {
  [Commands.explainStatement]: (ctx, uri?: string | vscode.Uri, offset?: number) => {
    // From a code lens: (uri, offset). From the palette or the context menu: the cursor's position.
    if (uri !== undefined && typeof offset === 'number') return explainStatement(ctx, typeof uri === 'string' ? vscode.Uri.parse(uri) : uri, offset);
    const editor = vscode.window.activeTextEditor;
    if (!editor) return vscode.window.showWarningMessage('Citus: open a SQL file and put the cursor in an INSERT..SELECT statement.');
    return explainStatement(ctx, editor.document.uri, editor.document.offsetAt(editor.selection.active));
  },
  [Commands.openRuleDoc]: (_ctx, url: string) => {
    markProgress('codeActionApplied');
    return vscode.env.openExternal(vscode.Uri.parse(url));
  },
  [Commands.codeActionApplied]: () => markProgress('codeActionApplied'),
  [Commands.createExampleWorkspace]: (ctx, parent?: vscode.Uri, options?: CreateExampleOptions) =>
    createExampleWorkspace(ctx.extension, parent instanceof vscode.Uri ? parent : undefined, options).catch((e: unknown) => {
      void vscode.window.showErrorMessage(`Citus Rollups: the example workspace could not be created: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }),
  [Commands.showOutput]: (ctx) => ctx.output.show(true),
  [Commands.restartServer]: async (ctx) => {
    await ctx.stopClient();
    await ctx.startClient();
  },
  [Commands.reloadSchema]: async (ctx) => {
    if (!ctx.client) return;
    const folders = await ctx.client.sendRequest<SchemaStatus[]>(ReloadSchemaRequest);
    const summary = folders.map((f) => `${f.source} (${f.tables} tables)${f.error ? ` — ${f.error}` : ''}`).join('; ');
    return vscode.window.showInformationMessage(`Citus: schema reloaded: ${summary || 'no workspace folder'}`);
  },
};

export function registerCommands(ctx: Ctx): void {
  for (const [id, handler] of Object.entries(COMMANDS)) {
    ctx.push(vscode.commands.registerCommand(id, (...args: unknown[]) => handler(ctx, ...args)));
  }
}
