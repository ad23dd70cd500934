/**
 * The extension's one context object: it owns the language client, the output channel, the status
 * bar item and every disposable (rust-analyzer's ctx.ts habit), so deactivation is one dispose().
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { CLIENT_ID, Commands, CONFIG_SECTION, StatusNotification, type StatusParams } from '../protocol';
import { StatusBar } from './status';
import { traceLevel } from './config';
import type { ClusterFeatures } from './cluster';

export const DOCUMENT_SELECTOR = [{ language: 'sql' }, { pattern: '**/*.{psql,pgsql}' }];

export class Ctx implements vscode.Disposable {
  readonly output: vscode.OutputChannel;
  readonly status: StatusBar;
  client: LanguageClient | undefined;
  /** the cluster feature (connections, EXPLAIN panel), set by activate() */
  cluster: ClusterFeatures | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('Citus Rollups');
    this.status = new StatusBar();
    this.disposables.push(this.output, this.status);
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${CONFIG_SECTION}.trace.server`)) this.output.appendLine(`protocol trace: ${traceLevel()}`);
        if (e.affectsConfiguration(`${CONFIG_SECTION}.enable`)) this.status.refresh();
      }),
    );
  }

  push(d: vscode.Disposable): void {
    this.disposables.push(d);
  }

  async startClient(): Promise<void> {
    const module = this.extension.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.stdio },
      debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.output,
      diagnosticCollectionName: 'citus-rollups',
      middleware: {
        // our code actions report that they were applied (the walkthrough's "Apply a quick fix" step)
        provideCodeActions: async (document, range, context, token, next) => {
          const actions = await next(document, range, context, token);
          for (const a of actions ?? []) {
            if (a instanceof vscode.CodeAction && a.edit && !a.command) a.command = { command: Commands.codeActionApplied, title: 'Citus: code action applied' };
          }
          return actions;
        },
      },
    };
    const client = new LanguageClient(CLIENT_ID, 'Citus Rollups', serverOptions, clientOptions);
    this.client = client;
    this.output.appendLine(`starting the language server (${module}); protocol trace: ${traceLevel()}`);
    await client.start();
    this.disposables.push(client.onNotification(StatusNotification, (p: StatusParams) => this.status.update(p)));
  }

  async stopClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.stop();
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}
