/**
 * The cluster side of the extension: connection profiles (settings), the password (asked once, kept in
 * SecretStorage, never in settings, logs or the Output channel), connect / disconnect / pick profile, the status
 * bar item, and "Explain on cluster" with its webview panel.
 *
 * The lead wires `activateCluster` into extension.ts; the `citusRollups.explainStatement` command calls
 * `features.explainStatement(uri, offset)`.
 */
import * as vscode from 'vscode';
import { loadParser } from '../../core/parse/libpg';
import type { Snapshot } from '../../core/schema/snapshot';
import type { StatementPrediction } from '../../protocol';
import { markProgress } from '../progress';
import { connect, DbError, redact, resolveConnection, type ResolvedConnection, type Session } from '../../db/connection';
import { explainStatement, MissingVariablesError, pickStatement, type ExplainResult, type PreparedStatement } from '../../db/explain';
import { readExtensions } from '../../db/extensions';
import { readClusterModel, type ClusterMetadata } from '../../db/metadata';
import type { ExtensionReport } from '../../core/rollup/capabilities';
import { bugReportMarkdown, isMismatch, type ExplainView } from './render';
import { ExplainPanel, type PanelMessage } from './panel';
import { readProfiles, secretKey, statusText, type ClusterStatus, type SettingsProfile } from './profiles';

export type { ClusterStatus } from './profiles';

/** The language server's prediction of the statement at `offset` (the one its code lens shows). */
export type StatementPredictor = (uri: vscode.Uri, offset: number) => Promise<StatementPrediction | null | undefined>;

export interface ClusterFeatures extends vscode.Disposable {
  /** EXPLAIN the statement at `offset` of `uri` on the connected cluster (connecting first if needed) */
  explainStatement(uri: vscode.Uri, offset: number): Promise<void>;
  connect(profileName?: string): Promise<boolean>;
  disconnect(): Promise<void>;
  pickProfile(): Promise<void>;
  status(): ClusterStatus;
  /** the connected cluster's metadata snapshot (for the language server), if connected */
  snapshot(): Snapshot | undefined;
  /** what the EXPLAIN panel shows: its view, tab title and HTML (undefined when closed) */
  explainPanel(): { view: ExplainView; title: string; html: string } | undefined;
  /** the extensions (hll, pg_cron) on the coordinator and every worker, if connected (for the rollup wizard) */
  extensions(): Promise<ExtensionReport | undefined>;
  readonly onDidChangeStatus: vscode.Event<ClusterStatus>;
}

const ACTIVE_PROFILE_KEY = 'citusRollups.activeProfile';

export function activateCluster(context: vscode.ExtensionContext, output: vscode.OutputChannel, predict: StatementPredictor): ClusterFeatures {
  return new Cluster(context, output, predict);
}

class Cluster implements ClusterFeatures {
  private session: Session | undefined;
  private metadata: ClusterMetadata | undefined;
  private current: ClusterStatus = { state: 'disconnected' };
  private queue: Promise<unknown> = Promise.resolve();
  private readonly item: vscode.StatusBarItem;
  private readonly panel: ExplainPanel;
  private readonly emitter = new vscode.EventEmitter<ClusterStatus>();
  private readonly disposables: vscode.Disposable[] = [];
  private lastPrepared: { prepared: PreparedStatement; uri: vscode.Uri } | undefined;
  readonly onDidChangeStatus = this.emitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.OutputChannel,
    private readonly predict: StatementPredictor,
  ) {
    this.item = vscode.window.createStatusBarItem('citusRollups.cluster', vscode.StatusBarAlignment.Left, 9);
    this.item.name = 'Citus cluster';
    this.panel = new ExplainPanel(context.extensionUri, (m, v) => void this.onPanelMessage(m, v));
    this.disposables.push(
      this.item,
      this.panel,
      this.emitter,
      vscode.commands.registerCommand('citusRollups.connect', (name?: string) => this.connect(typeof name === 'string' ? name : undefined)),
      vscode.commands.registerCommand('citusRollups.disconnect', () => this.disconnect()),
      vscode.commands.registerCommand('citusRollups.pickProfile', () => this.pickProfile()),
      vscode.commands.registerCommand('citusRollups.clusterMenu', () => this.menu()),
    );
    this.setStatus({ state: 'disconnected' });
  }

  status(): ClusterStatus {
    return { ...this.current };
  }

  snapshot(): Snapshot | undefined {
    return this.metadata?.snapshot;
  }

  explainPanel(): { view: ExplainView; title: string; html: string } | undefined {
    const shown = this.panel.rendered;
    const view = this.panel.current;
    return shown && view ? { view, ...shown } : undefined;
  }

  extensions(): Promise<ExtensionReport | undefined> {
    return this.exclusive(async () => (this.session ? readExtensions(this.session) : undefined));
  }

  private log(line: string, c?: ResolvedConnection): void {
    this.output.appendLine(`[cluster] ${redact(line, c)}`);
  }

  private setStatus(s: ClusterStatus): void {
    this.current = s;
    const t = statusText(s);
    this.item.text = t.text;
    this.item.tooltip = t.tooltip;
    this.item.command = s.state === 'connected' ? 'citusRollups.clusterMenu' : 'citusRollups.connect';
    this.item.accessibilityInformation = { label: t.tooltip };
    this.item.show();
    if (s.state === 'connected') markProgress('connected');
    this.emitter.fire(this.status());
  }

  /** Serialises cluster operations on the one connection. */
  private exclusive<T>(f: () => Promise<T>): Promise<T> {
    const next = this.queue.then(f, f);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private profiles(): SettingsProfile[] {
    const cfg = vscode.workspace.getConfiguration('citusRollups');
    const { profiles, problems } = readProfiles(cfg.get('connections'), {
      connectSeconds: cfg.get<number>('explain.connectTimeoutSeconds'),
      statementSeconds: cfg.get<number>('explain.statementTimeoutSeconds'),
    });
    for (const p of problems) this.log(p);
    if (problems.length) void vscode.window.showWarningMessage(`Citus: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more, see Output)` : ''}`);
    return profiles;
  }

  async pickProfile(): Promise<void> {
    const profiles = this.profiles();
    const items: Array<vscode.QuickPickItem & { name?: string; action?: 'settings' }> = profiles.map((p) => ({
      label: p.name,
      description: p.profile.uri ? redact(p.profile.uri) : `${p.profile.user ?? ''}@${p.profile.host ?? ''}:${p.profile.port ?? 5432}/${p.profile.database ?? ''}`,
      name: p.name,
    }));
    items.push({ label: '$(gear) Edit connection profiles in settings…', action: 'settings' });
    const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Connect to which Citus cluster?' });
    if (!picked) return;
    if (picked.action === 'settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'citusRollups.connections');
      return;
    }
    await this.context.workspaceState.update(ACTIVE_PROFILE_KEY, picked.name);
    if (this.session) await this.disconnect();
    await this.connect(picked.name);
  }

  private async menu(): Promise<void> {
    const choice = await vscode.window.showQuickPick(['Disconnect', 'Switch profile…', 'Reload cluster metadata', 'Forget the saved password'], { placeHolder: this.current.label });
    if (choice === 'Disconnect') await this.disconnect();
    else if (choice === 'Switch profile…') await this.pickProfile();
    else if (choice === 'Reload cluster metadata') await this.exclusive(() => this.loadMetadata());
    else if (choice === 'Forget the saved password') {
      const p = this.profiles().find((x) => x.name === this.current.profile);
      if (p) await this.context.secrets.delete(secretKey(p.profile));
      void vscode.window.showInformationMessage('Citus: the saved password was removed.');
    }
  }

  connect(profileName?: string): Promise<boolean> {
    return this.exclusive(() => this.doConnect(profileName));
  }

  private async doConnect(profileName?: string): Promise<boolean> {
    if (this.session) return true;
    const profiles = this.profiles();
    let chosen = profiles.find((p) => p.name === (profileName ?? this.context.workspaceState.get<string>(ACTIVE_PROFILE_KEY)));
    if (!chosen && profiles.length === 1) chosen = profiles[0];
    if (!chosen) {
      if (!profiles.length) {
        // not awaited: this runs in the connection queue, which must not wait for the user to dismiss a notification
        void vscode.window.showInformationMessage('Citus: no connection profile is configured (setting citusRollups.connections).', 'Add a Profile').then((choice) => {
          if (choice) void vscode.commands.executeCommand('workbench.action.openSettingsJson', { revealSetting: { key: 'citusRollups.connections', edit: true } });
        });
        return false;
      }
      const picked = await vscode.window.showQuickPick(
        profiles.map((p) => p.name),
        { placeHolder: 'Connect to which Citus cluster?' },
      );
      chosen = profiles.find((p) => p.name === picked);
      if (!chosen) return false;
    }
    await this.context.workspaceState.update(ACTIVE_PROFILE_KEY, chosen.name);
    const key = secretKey(chosen.profile);
    let password = await this.context.secrets.get(key);
    let resolved: ResolvedConnection | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        resolved = await resolveConnection(chosen.profile, password);
        this.setStatus({ state: 'connecting', profile: chosen.name, label: resolved.label });
        this.log(`connecting to ${resolved.label} (sslmode=${resolved.sslmode}, password from ${resolved.passwordSource})`);
        const session = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Citus: connecting to ${resolved.label}` }, () => connect(resolved!));
        if (password !== undefined && resolved.passwordSource === 'given') await this.context.secrets.store(key, password);
        this.session = session;
        session.client.on('error', () => this.dropSession('the connection was closed by the server'));
        await this.loadMetadata();
        return true;
      } catch (e) {
        const err = e instanceof DbError ? e : new DbError('refused', String((e as Error).message ?? e));
        this.log(`connection failed (${err.kind}): ${err.message}`, resolved);
        if (err.kind === 'auth' && (resolved?.passwordSource === 'none' || resolved?.passwordSource === 'given' || attempt === 0)) {
          if (password !== undefined) await this.context.secrets.delete(key);
          const entered = await vscode.window.showInputBox({
            title: `Password for ${resolved?.label ?? chosen.name}`,
            prompt: err.message.includes('asks for a password') ? 'The server asks for a password. It is kept in the OS keychain (SecretStorage).' : `${err.message}. Enter the password again.`,
            password: true,
            ignoreFocusOut: true,
          });
          if (entered === undefined) break;
          password = entered;
          continue;
        }
        this.setStatus({ state: 'error', profile: chosen.name, label: resolved?.label, error: err.message });
        void vscode.window.showErrorMessage(`Citus: ${err.message}`);
        return false;
      }
    }
    this.setStatus({ state: 'disconnected' });
    return false;
  }

  private async loadMetadata(): Promise<void> {
    const s = this.session;
    if (!s) return;
    try {
      const { metadata } = await readClusterModel(s);
      this.metadata = metadata;
      this.setStatus({
        state: 'connected',
        profile: this.context.workspaceState.get<string>(ACTIVE_PROFILE_KEY),
        label: s.connection.label,
        serverVersion: s.serverVersion,
        citusVersion: s.citusVersion,
        workerCount: metadata.workerCount,
        tables: metadata.snapshot.tables.length,
      });
      this.log(`connected: PostgreSQL ${s.serverVersion}, ${s.citusVersion ? `Citus ${s.citusVersion}, ${metadata.workerCount} worker(s)` : 'plain PostgreSQL'}, ${metadata.snapshot.tables.length} tables`, s.connection);
    } catch (e) {
      const msg = e instanceof DbError ? e.message : String(e);
      this.log(`reading the cluster metadata failed: ${msg}`, s.connection);
      void vscode.window.showWarningMessage(`Citus: connected, but reading the metadata failed: ${msg}`);
      this.setStatus({ state: 'connected', profile: this.current.profile, label: s.connection.label, serverVersion: s.serverVersion, citusVersion: s.citusVersion });
    }
  }

  private dropSession(why: string): void {
    if (!this.session) return;
    const s = this.session;
    this.session = undefined;
    void s.close();
    this.log(`disconnected: ${why}`, s.connection);
    this.setStatus({ state: 'disconnected' });
  }

  disconnect(): Promise<void> {
    return this.exclusive(async () => {
      const s = this.session;
      this.session = undefined;
      this.metadata = undefined;
      if (s) {
        await s.close();
        this.log(`disconnected from ${s.connection.label}`, s.connection);
      }
      this.setStatus({ state: 'disconnected' });
    });
  }

  async explainStatement(uri: vscode.Uri, offset: number): Promise<void> {
    await loadParser();
    const doc = await vscode.workspace.openTextDocument(uri);
    const text = doc.getText();
    let prepared: PreparedStatement;
    try {
      prepared = await this.prepareWithVariables(text, offset);
    } catch (e) {
      if (e instanceof DbError) void vscode.window.showWarningMessage(`Citus: ${e.message}`);
      else throw e;
      return;
    }
    if (!(await this.connect())) return;
    const cfg = vscode.workspace.getConfiguration('citusRollups');
    const timeoutSeconds = cfg.get<number>('explain.statementTimeoutSeconds') ?? 30;
    try {
      const result = await this.exclusive(async () =>
        vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Citus: EXPLAIN on the cluster (rolled back)…', cancellable: true }, async (_p, token) => {
          const session = this.session;
          if (!session) throw new DbError('connection_lost', 'not connected');
          const ac = new AbortController();
          const sub = token.onCancellationRequested(() => ac.abort());
          try {
            return await explainStatement(session, prepared, { signal: ac.signal, statementTimeoutMs: timeoutSeconds * 1000 });
          } finally {
            sub.dispose();
          }
        }),
      );
      this.lastPrepared = { prepared, uri };
      this.panel.show(await this.viewOf(result, text, prepared, uri));
      markProgress('statementExplained');
      this.log(`explained line ${doc.positionAt(prepared.start).line + 1} of ${vscode.workspace.asRelativePath(uri)}: ${result.method} (${result.classification.basis})`, this.session?.connection);
    } catch (e) {
      this.reportFailure(e);
    }
  }

  private reportFailure(e: unknown): void {
    const err = e instanceof DbError ? e : new DbError('sql', String((e as Error)?.message ?? e));
    this.log(`EXPLAIN failed (${err.kind}): ${err.message}`, this.session?.connection);
    if (err.kind === 'connection_lost' || err.kind === 'timeout') this.dropSession(err.message);
    if (err.kind === 'cancelled') void vscode.window.showInformationMessage('Citus: EXPLAIN cancelled (nothing was changed).');
    else void vscode.window.showErrorMessage(`Citus: ${err.message}`);
  }

  private async prepareWithVariables(text: string, offset: number): Promise<PreparedStatement> {
    const variables: Record<string, string> = {};
    for (;;) {
      try {
        return pickStatement(text, { offset, variables });
      } catch (e) {
        if (!(e instanceof MissingVariablesError)) throw e;
        for (const name of e.names) {
          const value = await vscode.window.showInputBox({ title: `Value for the psql variable :${name}`, prompt: 'Substituted as psql does (:v raw, :\'v\' as a literal, :"v" as an identifier)', ignoreFocusOut: true });
          if (value === undefined) throw new DbError('usage', `EXPLAIN needs a value for :${name}`);
          variables[name] = value;
        }
      }
    }
  }

  private async viewOf(r: ExplainResult, text: string, prepared: PreparedStatement, uri: vscode.Uri): Promise<ExplainView> {
    // the language server's analysis: the same model (cluster metadata + the workspace's tables it lacks) and the
    // same prediction as the code lens
    let prediction: StatementPrediction | null | undefined;
    try {
      prediction = await this.predict(uri, prepared.start);
    } catch (e) {
      this.log(`the language server gave no prediction: ${String(e)}`);
    }
    const predicted: ExplainView['predicted'] = prediction ? { method: prediction.method, ...(prediction.outcome ? { outcome: prediction.outcome } : {}), reasons: prediction.reasons, summary: prediction.summary } : null;
    const notOnCluster = prediction?.notOnCluster ?? [];
    if (notOnCluster.length) this.log(`${notOnCluster.map((t) => t.table).join(', ')}: in the workspace, not on the cluster (the panel says so; no bug report is offered)`);
    const line = text.slice(0, prepared.start).split('\n').length;
    const gate = r.method === 'pushdown' || r.method === 'router';
    return {
      file: vscode.workspace.asRelativePath(uri),
      line,
      sql: prepared.sql,
      server: { label: this.session?.connection.label ?? '', version: r.serverVersion, citus: r.citusVersion },
      method: r.method,
      ...(r.outcome ? { outcome: r.outcome } : {}),
      basis: r.classification.basis,
      taskCount: r.classification.taskCount,
      tasksShown: r.classification.tasksShown,
      nodes: r.classification.nodes,
      reasons: r.reasons,
      notices: r.notices,
      error: r.error ?? null,
      tree: r.classification.tree,
      text: r.text,
      predicted,
      notOnCluster,
      schemaMessages: [],
      analyze: gate
        ? { state: 'available' }
        : { state: 'unavailable', reason: r.error ? 'EXPLAIN ANALYZE is not offered: EXPLAIN failed.' : `EXPLAIN ANALYZE is offered only for pushdown and router plans (this is ${r.method}: Citus would execute it and then refuse).` },
      suppressed: r.suppressed,
    };
  }

  private async onPanelMessage(m: PanelMessage, view: ExplainView): Promise<void> {
    if (m.command === 'copy') {
      await vscode.env.clipboard.writeText(m.text);
      return;
    }
    if (m.command === 'report' && isMismatch(view)) {
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: bugReportMarkdown(view) });
      await vscode.window.showTextDocument(doc, vscode.ViewColumn.Active);
      return;
    }
    if (m.command === 'analyze' && view.analyze.state === 'available' && this.lastPrepared) {
      const ok = await vscode.window.showWarningMessage(
        'Run EXPLAIN ANALYZE on the cluster?',
        { modal: true, detail: 'The statement really executes on every shard it touches, inside a transaction that is then rolled back. It takes as long as the real statement and holds its locks meanwhile.' },
        'Run EXPLAIN ANALYZE',
      );
      if (ok !== 'Run EXPLAIN ANALYZE') {
        this.panel.update({ analyze: { state: 'available' } });
        return;
      }
      const prepared = this.lastPrepared.prepared;
      this.panel.update({ analyze: { state: 'running' } });
      const timeoutSeconds = vscode.workspace.getConfiguration('citusRollups').get<number>('explain.statementTimeoutSeconds') ?? 30;
      try {
        const r = await this.exclusive(async () => {
          if (!this.session) throw new DbError('connection_lost', 'not connected');
          return explainStatement(this.session, prepared, { analyze: true, statementTimeoutMs: timeoutSeconds * 1000 });
        });
        const a = r.analyze;
        if (!a) this.panel.update({ analyze: { state: 'error', message: 'EXPLAIN ANALYZE did not run' } });
        else if ('refused' in a) this.panel.update({ analyze: { state: 'unavailable', reason: a.refused } });
        else if ('error' in a) this.panel.update({ analyze: { state: 'error', message: `ERROR:  ${a.error.message}` } });
        else this.panel.update({ analyze: { state: 'done', tree: a.classification.tree } });
      } catch (e) {
        this.panel.update({ analyze: { state: 'error', message: e instanceof DbError ? e.message : String(e) } });
        this.reportFailure(e);
      }
    }
  }

  dispose(): void {
    const s = this.session;
    this.session = undefined;
    void s?.close();
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}
