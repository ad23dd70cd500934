/**
 * A real LSP client for the tests: spawns the bundled server (dist/server.js) over stdio and speaks
 * JSON-RPC to it with vscode-languageserver-protocol. It answers `workspace/configuration` from a
 * settings table the test controls and records every published diagnostic.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type {
  CodeAction,
  CodeLens,
  Diagnostic,
  DocumentSymbol,
  Hover,
  PublishDiagnosticsParams,
  TextDocumentContentChangeEvent,
  TextEdit,
} from 'vscode-languageserver-protocol';
import type { StatusParams } from '../../src/protocol';

export const SERVER_BUNDLE = path.join(__dirname, '..', '..', 'dist', 'server.js');
export const CLI_BUNDLE = path.join(__dirname, '..', '..', 'dist', 'cli.js');

export interface ClientOptions {
  /** workspace folder (a file-system path) */
  root: string;
  /** the `citusRollups` section returned for every scope */
  settings?: Record<string, unknown>;
  debounceMs?: number;
  /** the server's command line after `node` (default: dist/server.js --stdio) */
  command?: string[];
  /** the client's capabilities (default: VS Code's that matter here: configuration, folders, file watching) */
  capabilities?: Record<string, unknown>;
  /** send workspaceFolders in initialize (default true) */
  workspaceFolders?: boolean;
  /** leave out the `initialized` notification, as a client that breaks the protocol does (default false) */
  skipInitialized?: boolean;
}

export class TestClient {
  readonly conn: ProtocolConnection;
  readonly child: ChildProcess;
  settings: Record<string, unknown>;
  readonly published = new Map<string, PublishDiagnosticsParams[]>();
  readonly logs: string[] = [];
  /** window/showMessage notifications */
  readonly messages: { type: number; message: string }[] = [];
  /** custom (non-LSP) notifications the server sent */
  readonly custom: string[] = [];
  /** the status notifications' parameters, in order */
  readonly statuses: StatusParams[] = [];
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  private waiters: { uri: string; since: number; test: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }[] = [];
  private versions = new Map<string, number>();
  stderr = '';

  constructor(readonly options: ClientOptions) {
    this.settings = options.settings ?? {};
    this.child = spawn(process.execPath, options.command ?? [SERVER_BUNDLE, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr?.on('data', (b: Buffer) => (this.stderr += b.toString()));
    this.conn = createProtocolConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.conn.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => params.items.map(() => this.settings));
    this.conn.onRequest('client/registerCapability', (params: { registrations: { method: string; registerOptions?: unknown }[] }) => {
      this.registrations.push(...params.registrations);
      return null;
    });
    this.conn.onRequest('client/unregisterCapability', () => null);
    this.conn.onNotification('window/logMessage', (p: { message: string }) => this.logs.push(p.message));
    this.conn.onNotification('window/showMessage', (p: { type: number; message: string }) => this.messages.push(p));
    this.conn.onNotification('citus/status', (p: StatusParams) => {
      this.custom.push('citus/status');
      this.statuses.push(p);
    });
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      const list = this.published.get(p.uri) ?? [];
      list.push(p);
      this.published.set(p.uri, list);
      this.waiters = this.waiters.filter((w) => {
        if (w.uri !== p.uri || list.length <= w.since || !w.test(p.diagnostics)) return true;
        w.resolve(p.diagnostics);
        return false;
      });
    });
    this.conn.listen();
  }

  static async start(options: ClientOptions): Promise<TestClient> {
    const client = new TestClient(options);
    const rootUri = pathToFileURL(options.root).href;
    await client.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      ...(options.workspaceFolders === false ? {} : { workspaceFolders: [{ uri: rootUri, name: path.basename(options.root) }] }),
      capabilities: options.capabilities ?? {
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { versionSupport: true } },
      },
      initializationOptions: { debounceMs: options.debounceMs ?? 20 },
    });
    if (!options.skipInitialized) await client.conn.sendNotification('initialized', {});
    return client;
  }

  uri(rel: string): string {
    return pathToFileURL(path.join(this.options.root, rel)).href;
  }

  /** Number of diagnostics publications seen so far for `uri` (to wait for a newer one). */
  count(uri: string): number {
    return this.published.get(uri)?.length ?? 0;
  }

  /** Resolves with the first line of the server's log that matches `pattern` (polled: the log and the diagnostics race). */
  async log(pattern: RegExp, timeoutMs = 10000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const line = this.logs.find((l) => pattern.test(l));
      if (line !== undefined) return line;
      if (Date.now() > until) throw new Error(`no server log line matching ${String(pattern)} within ${timeoutMs} ms:\n${this.logs.join('\n')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Resolves with the first publication for `uri` after the `since`-th that satisfies `test`. */
  diagnostics(uri: string, test: (d: Diagnostic[]) => boolean = () => true, since = 0, timeoutMs = 10000): Promise<Diagnostic[]> {
    const list = this.published.get(uri) ?? [];
    for (let i = since; i < list.length; i++) if (test(list[i].diagnostics)) return Promise.resolve(list[i].diagnostics);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const last = JSON.stringify(list.at(-1)?.diagnostics ?? null);
        reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${last}\nserver log:\n${this.logs.join('\n')}\n${this.stderr}`));
      }, timeoutMs);
      this.waiters.push({
        uri,
        since,
        test,
        resolve: (d) => {
          clearTimeout(timer);
          resolve(d);
        },
      });
    });
  }

  async open(uri: string, text: string, languageId = 'sql'): Promise<void> {
    this.versions.set(uri, 1);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  async close(uri: string): Promise<void> {
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  codeLenses(uri: string): Promise<CodeLens[]> {
    return this.conn.sendRequest('textDocument/codeLens', { textDocument: { uri } });
  }

  hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return this.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } });
  }

  codeActions(uri: string, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return this.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics } });
  }

  symbols(uri: string): Promise<DocumentSymbol[]> {
    return this.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
  }

  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }

  async watchedFileChanged(uri: string, type: 1 | 2 | 3): Promise<void> {
    await this.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type }] });
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification('exit');
    } catch {
      // the server is gone already
    }
    this.conn.dispose();
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** Applies LSP text edits to a string (edits must not overlap), the way an editor does. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const offset = (line: number, character: number): number => {
    let o = 0;
    for (let l = 0; l < line; l++) {
      const nl = text.indexOf('\n', o);
      if (nl < 0) return text.length;
      o = nl + 1;
    }
    return o + character;
  };
  const sorted = [...edits].sort((a, b) => offset(b.range.start.line, b.range.start.character) - offset(a.range.start.line, a.range.start.character));
  let out = text;
  for (const e of sorted) {
    out = out.slice(0, offset(e.range.start.line, e.range.start.character)) + e.newText + out.slice(offset(e.range.end.line, e.range.end.character));
  }
  return out;
}
