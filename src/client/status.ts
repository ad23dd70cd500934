/**
 * The status bar item: the schema the active SQL file is analysed with, and that file's findings (what the
 * Problems panel lists for it: errors, warnings and information; hints are not counted).
 */
import * as vscode from 'vscode';
import { Commands, type StatusParams } from '../protocol';
import { markProgress } from './progress';
import { statusPresentation } from './statusText';

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
    const shown = statusPresentation(p);
    this.item.text = shown.text;
    const tip = new vscode.MarkdownString('**Citus Rollups**\n\n');
    for (const line of shown.lines) tip.appendMarkdown(`- ${escapeMarkdown(line)}\n`);
    this.item.tooltip = tip;
    // without it, screen readers get the tooltip's Markdown
    this.item.accessibilityInformation = { label: shown.label };
    this.item.show();
    // the walkthrough's "See a pushdown warning": findings on screen
    if (p.enabled && p.findings.error + p.findings.warning + p.findings.information > 0) markProgress('findingShown');
  }

  dispose(): void {
    this.listener.dispose();
    this.item.dispose();
  }
}

function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
