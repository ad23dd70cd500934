/** The status bar item: the schema the active SQL file is analysed with, and its findings. */
import * as vscode from 'vscode';
import { Commands, type StatusParams } from '../protocol';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('citusRollups.status', vscode.StatusBarAlignment.Left, 10);
  private readonly byUri = new Map<string, StatusParams>();
  private readonly listener: vscode.Disposable;

  constructor() {
    this.item.name = 'Citus Rollups';
    this.item.command = Commands.showOutput;
    this.listener = vscode.window.onDidChangeActiveTextEditor(() => this.refresh());
  }

  update(p: StatusParams): void {
    this.byUri.set(p.uri, p);
    this.refresh();
  }

  /** The last status of the active editor's document, if the server sent one. */
  current(): StatusParams | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    return uri ? this.byUri.get(uri) : undefined;
  }

  refresh(): void {
    const p = this.current();
    if (!p) {
      this.item.hide();
      return;
    }
    const f = p.findings;
    const problems = f.error + f.warning;
    this.item.text = !p.enabled
      ? '$(circle-slash) Citus: off'
      : `${p.schema.error ? '$(warning)' : '$(database)'} Citus: ${p.schema.source}${problems ? ` · ${problems} finding${problems === 1 ? '' : 's'}` : ''}`;
    const tip = new vscode.MarkdownString();
    tip.appendMarkdown(`**Citus Rollups**\n\n`);
    tip.appendText(`Schema: ${p.schema.source}, ${p.schema.tables} table(s)\n`);
    if (p.schema.error) tip.appendText(`Schema problem: ${p.schema.error}\n`);
    tip.appendText(`INSERT..SELECT statements: ${p.insertSelects}\nFindings: ${f.error} error(s), ${f.warning} warning(s), ${f.information} info, ${f.hint} hint(s)\n`);
    this.item.tooltip = tip;
    this.item.show();
  }

  dispose(): void {
    this.listener.dispose();
    this.item.dispose();
  }
}
