/**
 * The EXPLAIN webview panel: one panel, reused. The HTML comes from the pure `renderExplainHtml`; assets only
 * from media/explain (localResourceRoots = media/), a fresh nonce per render, scripts enabled for the buttons.
 */
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import { methodLabel, renderExplainHtml, type ExplainView } from './render';

export type PanelMessage = { command: 'analyze' } | { command: 'report' } | { command: 'copy'; text: string };

export class ExplainPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private view: ExplainView | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly onMessage: (m: PanelMessage, view: ExplainView) => void,
  ) {}

  show(view: ExplainView): void {
    this.view = view;
    if (!this.panel) {
      const media = vscode.Uri.joinPath(this.extensionUri, 'media');
      this.panel = vscode.window.createWebviewPanel('citusRollups.explain', 'Citus EXPLAIN', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
        enableScripts: true,
        enableCommandUris: false,
        localResourceRoots: [media],
        retainContextWhenHidden: false,
      });
      this.panel.onDidDispose(() => {
        this.panel = undefined;
      }, undefined, this.disposables);
      this.panel.webview.onDidReceiveMessage(
        (m: unknown) => {
          if (!this.view || !m || typeof m !== 'object') return;
          const msg = m as { command?: unknown; text?: unknown };
          if (msg.command === 'analyze' || msg.command === 'report') this.onMessage({ command: msg.command }, this.view);
          else if (msg.command === 'copy') this.onMessage({ command: 'copy', text: typeof msg.text === 'string' ? msg.text : '' }, this.view);
        },
        undefined,
        this.disposables,
      );
    }
    this.render();
    this.panel.reveal(vscode.ViewColumn.Beside, true);
  }

  update(patch: Partial<ExplainView>): void {
    if (!this.view) return;
    this.view = { ...this.view, ...patch };
    this.render();
  }

  get current(): ExplainView | undefined {
    return this.view;
  }

  /** What the panel shows (tab title and HTML), for tests and diagnostics; undefined when it is closed. */
  get rendered(): { title: string; html: string } | undefined {
    return this.panel && { title: this.panel.title, html: this.panel.webview.html };
  }

  private render(): void {
    if (!this.panel || !this.view) return;
    const webview = this.panel.webview;
    const asset = (name: string): string => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'explain', name)).toString();
    // the same words as the method's badge
    this.panel.title = `Citus EXPLAIN: ${methodLabel(this.view.method)}`;
    webview.html = renderExplainHtml(this.view, {
      nonce: crypto.randomBytes(16).toString('base64'),
      cspSource: webview.cspSource,
      scriptUri: asset('explain.js'),
      styleUri: asset('explain.css'),
    });
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
