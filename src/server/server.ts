/**
 * The language server: wires LSP requests to the core analysis. Independent of VS Code: any LSP
 * client can use it (the tests speak to it over stdio; the benchmark in-process).
 */
import { modelFromSnapshot, snapshotFromModel } from '../core/schema/snapshot';
import type { SchemaModel } from '../core/schema/model';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  MessageType,
  ShowMessageNotification,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type Disposable,
  type FileSystemWatcher,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { enableParseMemo, loadOlderGrammar, loadParser } from '../core/parse/libpg';
import { LineIndex } from '../core/parse/offsets';
import {
  CONFIG_SECTION,
  ReloadSchemaRequest,
  ServerStatsRequest,
  ClusterSnapshotNotification,
  SchemaSnapshotRequest,
  StatementPredictionRequest,
  TableRolesRequest,
  type ClusterSnapshotParams,
  type SchemaSnapshotParams,
  type StatementPredictionParams,
  type TableRolesParams,
  StatusNotification,
  GENERATED_DDL_SCHEME,
  GeneratedDdlRequest,
  type GeneratedDdlParams,
  type InitializationOptions,
  type ServerStats,
  type StatusParams,
} from '../protocol';
import { codeActions } from './codeActions';
import { completion, signatureHelp } from './completion';
import { DiagnosticConverter } from './convert';
import { AnalysisCache, type AnalyzedDocument } from './documents';
import { findingOrigins, syntaxErrors } from './incremental';
import { hoverAt } from './hover';
import { codeLenses } from './lenses';
import { statementPrediction, tableRoles } from './prediction';
import { FolderSchema } from './schema';
import { readFolderConfig, type FolderConfig } from './projectConfig';
import { DEFAULT_SETTINGS, readSettings, withProjectConfig, type Settings } from './settings';
import { CONFIG_FILE_NAME } from '../core/config';
import { documentSymbols } from './symbols';
import { Navigation, workspaceDocument } from './navigation';
import { parseDocument } from '../core/parse/document';
import type { WorkspaceDocument } from '../core/navigation';

const SQL_FILE = /\.(psql|pgsql)$/i;
const DEFAULT_DEBOUNCE_MS = 150;
/** Larger documents are not analysed as you type (about a second of analysis per edit); the CLI still can. */

/** How long the server waits for the client's `initialized` notification before reading the workspace anyway. */
const INITIALIZED_GRACE_MS = 2000;
export const MAX_ANALYSED_CHARS = 2_000_000;

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const cache = new AnalysisCache((m) => connection.console.error(m));
  const log = (m: string): void => connection.console.log(m);
  const converter = new DiagnosticConverter();
  const loose = new FolderSchema(undefined, log);
  let folders: FolderSchema[] = [];
  let hasConfiguration = false;
  let canWatchFiles = false;
  let supportsFolders = false;
  let watcherRegistration: Promise<Disposable> | undefined;
  let snippetSupport = false;
  const navigation = new Navigation();
  let debounceMs = DEFAULT_DEBOUNCE_MS;
  const settingsCache = new Map<string, Promise<Settings>>();
  const timers = new Map<string, NodeJS.Timeout>();
  /** open documents whose syntax errors were published before their first analysis; those being published */
  const syntaxPublished = new Set<string>();
  /** the analysis whose diagnostics each document shows */
  const published = new Map<string, AnalyzedDocument>();
  const firstPasses = new Set<Promise<void>>();
  const generations = new Map<string, number>();
  const parserReady = loadParser();
  /** the parser's load failed (a broken install): said once, after `initialized`; nothing is analysed */
  let parserFailure: unknown;
  let initialized = false;
  const reportParserFailure = (): void => {
    const message = `${parserFailure instanceof Error ? parserFailure.message : String(parserFailure)}. Nothing is analysed; reinstalling the extension restores the parser.`;
    log(message);
    void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Error, message: `Citus Rollups: ${message}` });
  };
  /** false when the parser did not load: requests then find nothing to say */
  const parserLoaded = parserReady.then(
    () => true,
    (e: unknown) => {
      parserFailure = e;
      if (initialized) reportParserFailure();
      return false;
    },
  );
  // each keystroke re-parses only the statements whose text changed
  enableParseMemo();

  const fileOf = (uri: string): string => (uri.startsWith('file:') ? fileURLToPath(uri) : uri);

  const scopeFor = (file: string): FolderSchema => {
    let best: FolderSchema | undefined;
    for (const f of folders) if (f.contains(file) && (!best || (f.root as string).length > (best.root as string).length)) best = f;
    return best ?? loose;
  };

  /** The project config of each folder (by root), read once until the file changes. */
  const folderConfigs = new Map<string, FolderConfig>();
  const reportedConfigErrors = new Set<string>();
  const folderConfig = (scope: FolderSchema): FolderConfig => {
    const key = scope.root ?? '';
    let c = folderConfigs.get(key);
    if (!c) {
      c = readFolderConfig(scope.root);
      folderConfigs.set(key, c);
      if (c.file) log(c.error ?? `settings: ${c.file} applies to ${scope.root}`);
      scope.setConfigError(c.error);
      if (c.error && !reportedConfigErrors.has(c.error)) {
        reportedConfigErrors.add(c.error);
        // a notification, not window/showMessageRequest: every client shows it, none has to answer
        void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `Citus Rollups: ${c.error}` });
      }
    }
    return c;
  };

  /**
   * Settings for a document or folder: the client's (`workspace/configuration` with a scope URI, when the client
   * supports it) over the folder's citus-rollups.json; cached until either changes.
   */
  const settingsFor = (scopeUri: string | undefined): Promise<Settings> => {
    const key = scopeUri ?? '';
    let s = settingsCache.get(key);
    if (!s) {
      const client = hasConfiguration
        ? connection.workspace.getConfiguration({ scopeUri, section: CONFIG_SECTION }).then(readSettings, (e: unknown) => {
            log(`settings: cannot read ${CONFIG_SECTION} for ${key || 'the workspace'}: ${String(e)}`);
            return DEFAULT_SETTINGS;
          })
        : Promise.resolve(DEFAULT_SETTINGS);
      const file = scopeUri ? fileOf(scopeUri) : '';
      const scope = folders.find((f) => f.root === file) ?? scopeFor(file);
      s = client.then((c) => {
        const project = folderConfig(scope);
        return withProjectConfig(c, project.config, project.dir);
      });
      settingsCache.set(key, s);
    }
    return s;
  };

  const isAnalysed = (doc: TextDocument): boolean => (doc.languageId === 'sql' || SQL_FILE.test(doc.uri)) && !doc.uri.startsWith(`${GENERATED_DDL_SCHEME}:`);

  /** Analyses `doc` (or reuses the cached analysis of the same text). */
  const analyze = async (doc: TextDocument): Promise<{ analyzed: AnalyzedDocument; settings: Settings } | undefined> => {
    if (!(await parserLoaded)) return undefined;
    const settings = await settingsFor(doc.uri);
    const current = documents.get(doc.uri);
    if (!current || !settings.enable) return undefined;
    const file = fileOf(current.uri);
    const scope = scopeFor(file);
    // the model needs the folder's schema files: wait for the workspace scan (a newly opened file has had its
    // first diagnostics meanwhile, see publish)
    await scope.whenLoaded();
    // a declared PostgreSQL 15 or 16 (config, snapshot, cluster): its grammar, loaded on first use
    await loadOlderGrammar(scope.baseFor(file).postgresMajor);
    const latest = documents.get(doc.uri);
    if (!latest) return undefined;
    const text = latest.getText();
    if (text.length > MAX_ANALYSED_CHARS) return undefined;
    const analyzed = cache.analyze(latest.uri, file, text, scope, settings);
    // The document's own DDL is schema for the other files of its folder.
    if (scope.setOpenText(file, text, analyzed.analysis.parsed)) scheduleOthers(scope, current.uri);
    return { analyzed, settings };
  };

  /** Runs the analysis of `uri` after `delay`; a newer call for the same document cancels this one. */
  const schedule = (uri: string, delay: number): void => {
    const generation = (generations.get(uri) ?? 0) + 1;
    generations.set(uri, generation);
    clearTimeout(timers.get(uri));
    const run = (): void => {
      timers.delete(uri);
      void publish(uri, generation);
    };
    if (delay <= 0) run();
    else timers.set(uri, setTimeout(run, delay));
  };

  /**
   * A newly opened document's first diagnostics: its syntax errors, from one parse, without waiting for the
   * workspace scan or the analysis (both need the schema). They are exactly the analysis' syntax errors; the
   * analysis' diagnostics follow when the scan is done.
   */
  const publishSyntax = async (uri: string, generation: number): Promise<void> => {
    // the parser's load and the client's settings, at once
    const [settings] = await Promise.all([settingsFor(uri), parserReady]);
    const doc = documents.get(uri);
    if (!doc || !settings.enable || generations.get(uri) !== generation || cache.get(uri) || syntaxPublished.has(uri)) return;
    syntaxPublished.add(uri);
    const text = doc.getText();
    if (text.length > MAX_ANALYSED_CHARS) return;
    const first = syntaxErrors(text, { source: fileOf(uri), severities: settings.rules });
    if (!first) return;
    const lines = new LineIndex(text);
    const diagnostics = first.findings.map((f) => converter.convert(f, lines));
    await connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
  };

  const publish = async (uri: string, generation: number): Promise<void> => {
    const doc = documents.get(uri);
    if (!doc || !isAnalysed(doc)) return;
    try {
      if (!cache.get(uri) && !syntaxPublished.has(uri)) {
        const first = publishSyntax(uri, generation);
        firstPasses.add(first);
        await first.finally(() => firstPasses.delete(first));
      }
      const result = await analyze(doc);
      if (generations.get(uri) !== generation) return; // a newer edit arrived while we waited
      if (!result) {
        published.delete(uri);
        const tooLarge = doc.getText().length > MAX_ANALYSED_CHARS;
        const diagnostics = tooLarge
          ? [
              {
                range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
                severity: 3 as const,
                source: 'citus-rollups',
                message: `This file is too large to analyse as you type (${(doc.getText().length / 1e6).toFixed(1)} million characters; the limit is ${MAX_ANALYSED_CHARS / 1e6} million). Run \`citus-rollups lint\` on it instead.`,
              },
            ]
          : [];
        await connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
        await sendStatus(uri, undefined);
        return;
      }
      const { analyzed } = result;
      // the same analysis was published already (a folder re-scan that changed nothing this file reads)
      if (published.get(uri) === analyzed) return;
      published.set(uri, analyzed);
      const origins = findingOrigins(analyzed.analysis);
      const diagnostics = analyzed.analysis.findings.map((f, i) => converter.convert(f, analyzed.lines, origins[i]));
      await connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
      await sendStatus(uri, analyzed);
    } catch (e) {
      if (e === parserFailure) return; // said once already
      // The core never throws on bad input; if something else does, say so and keep serving.
      log(`analysis of ${uri} failed: ${(e as Error).stack ?? String(e)}`);
    }
  };

  const sendStatus = async (uri: string, analyzed: AnalyzedDocument | undefined): Promise<void> => {
    const findings = { error: 0, warning: 0, information: 0, hint: 0 };
    for (const f of analyzed?.analysis.findings ?? []) findings[f.severity]++;
    // (counted, not filtered: this runs after every edit, over every statement of the file)
    let insertSelects = 0;
    for (const s of analyzed?.analysis.statements ?? []) if (s.kind === 'insert_select') insertSelects++;
    const params: StatusParams = {
      uri,
      enabled: analyzed !== undefined,
      schema: (analyzed?.scope ?? scopeFor(fileOf(uri))).status(),
      findings,
      insertSelects,
    };
    await connection.sendNotification(StatusNotification, params);
  };

  /** Re-publishes the open documents of `scope` (all scopes when undefined) except `except`. */
  const scheduleOthers = (scope: FolderSchema | undefined, except?: string): void => {
    for (const doc of documents.all()) {
      if (doc.uri === except || !isAnalysed(doc)) continue;
      if (!scope || scopeFor(fileOf(doc.uri)) === scope) schedule(doc.uri, debounceMs);
    }
  };

  /** The analysis for a request: the cached one when the text is current, else a fresh one. */
  const current = async (uri: string): Promise<AnalyzedDocument | undefined> => {
    const doc = documents.get(uri);
    if (!doc || !isAnalysed(doc)) return undefined;
    return (await analyze(doc))?.analyzed;
  };

  const configureFolders = async (): Promise<void> => {
    await parserReady;
    // messages already received (the didOpen a client sends right after `initialized`) are handled first, so
    // that those files' first passes are under way before the scan takes the thread
    await new Promise((resolve) => setImmediate(resolve));
    for (const f of folders) {
      const settings = await settingsFor(f.root ? pathToFileURL(f.root).href : undefined);
      // the files opened meanwhile (the client opened them before it answered) show their syntax errors first
      await Promise.allSettled([...firstPasses]);
      f.configure(settings);
      await f.reloadAll(); // never throws: the folder's analyses wait for it
    }
    await registerWatchers();
  };

  /** Asks the client to watch the schema files and snapshots (re-registered when settings change). */
  const registerWatchers = async (): Promise<void> => {
    if (!canWatchFiles) return;
    const watchers: FileSystemWatcher[] = [];
    for (const f of folders) {
      if (!f.root) continue;
      const settings = await settingsFor(pathToFileURL(f.root).href);
      const baseUri = pathToFileURL(f.root).href;
      const globBase = pathToFileURL(settings.globRoot ?? f.root).href;
      for (const pattern of settings.schemaInclude) watchers.push({ globPattern: { baseUri: globBase, pattern } });
      for (const file of settings.schemaFiles) watchers.push({ globPattern: { baseUri: pathToFileURL(path.dirname(file)).href, pattern: `${path.basename(file)}{,/**}` } });
      // the project config: in the folder or above it (a new one, or an edit, changes the settings)
      watchers.push({ globPattern: { baseUri, pattern: `**/${CONFIG_FILE_NAME}` } });
      const configFile = folderConfig(f).file;
      if (configFile && !f.contains(configFile)) watchers.push({ globPattern: { baseUri: pathToFileURL(path.dirname(configFile)).href, pattern: CONFIG_FILE_NAME } });
      if (settings.snapshotPath) {
        const abs = path.isAbsolute(settings.snapshotPath) ? settings.snapshotPath : path.join(f.root, settings.snapshotPath);
        watchers.push({ globPattern: { baseUri: pathToFileURL(path.dirname(abs)).href, pattern: path.basename(abs) } });
      }
    }
    const previous = watcherRegistration;
    watcherRegistration = connection.client.register(DidChangeWatchedFilesNotification.type, { watchers });
    if (previous) (await previous).dispose();
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    hasConfiguration = !!caps.workspace?.configuration;
    canWatchFiles = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    supportsFolders = !!caps.workspace?.workspaceFolders;
    snippetSupport = !!caps.textDocument?.completion?.completionItem?.snippetSupport;
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    if (typeof init.debounceMs === 'number' && init.debounceMs >= 0) debounceMs = init.debounceMs;
    const roots = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    folders = roots.filter((u) => u.startsWith('file:')).map((u) => new FolderSchema(fileURLToPath(u), log));
    setTimeout(() => {
      if (started) return;
      log('no `initialized` notification from the client: reading the workspace all the same');
      startWorkspace();
    }, INITIALIZED_GRACE_MS).unref();
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: ['quickfix', ''] },
        documentSymbolProvider: true,
        completionProvider: { triggerCharacters: ['.', '(', "'"], resolveProvider: false },
        signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [','] },
        definitionProvider: true,
        declarationProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'citus-rollups', version: typeof __VERSION__ === 'string' ? __VERSION__ : 'dev' },
    };
  });

  // the workspace is read once the client says `initialized`; a client that never does (it breaks the
  // protocol, but it happens) still gets its analysis, a moment later, instead of syntax errors alone
  let started = false;
  const startWorkspace = (): void => {
    if (started) return;
    started = true;
    const ready = configureFolders().then(() => scheduleOthers(undefined));
    ready.catch((e: unknown) => e !== parserFailure && log(`schema: ${String(e)}`));
  };
  connection.onInitialized(() => {
    initialized = true;
    if (parserFailure !== undefined) reportParserFailure();
    if (hasConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: CONFIG_SECTION });
    startWorkspace();
    if (supportsFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((ev) => {
        const removed = new Set(ev.removed.map((f) => fileURLToPath(f.uri)));
        folders = folders.filter((f) => !removed.has(f.root as string));
        for (const added of ev.added) if (added.uri.startsWith('file:')) folders.push(new FolderSchema(fileURLToPath(added.uri), log));
        void configureFolders().then(() => scheduleOthers(undefined));
      });
    }
  });

  /** Settings changed (client settings or a config file): re-read them and what depends on them. */
  const settingsChanged = (): void => {
    settingsCache.clear();
    void (async () => {
      for (const f of folders) {
        const settings = await settingsFor(f.root ? pathToFileURL(f.root).href : undefined);
        if (f.configure(settings)) await f.reloadAll();
      }
      await registerWatchers();
      cache.clear();
      scheduleOthers(undefined);
    })().catch((e: unknown) => log(`settings: ${String(e)}`));
  };
  connection.onDidChangeConfiguration(settingsChanged);

  connection.onDidChangeWatchedFiles((params) => {
    const changed = new Set<FolderSchema>();
    if (params.changes.some((c) => c.uri.startsWith('file:') && path.basename(fileURLToPath(c.uri)) === CONFIG_FILE_NAME)) {
      folderConfigs.clear();
      settingsChanged();
    }
    for (const c of params.changes) {
      if (!c.uri.startsWith('file:')) continue;
      const file = fileURLToPath(c.uri);
      const scope = scopeFor(file);
      if (scope.diskFileChanged(file, c.type === FileChangeType.Deleted)) changed.add(scope);
    }
    for (const scope of changed) scheduleOthers(scope);
  });

  documents.onDidOpen((e) => schedule(e.document.uri, 0));
  documents.onDidChangeContent((e) => {
    // onDidOpen fires first for new documents; only edits are debounced.
    if (e.document.version > 1 || cache.get(e.document.uri)) schedule(e.document.uri, debounceMs);
  });
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    generations.set(e.document.uri, (generations.get(e.document.uri) ?? 0) + 1);
    cache.delete(e.document.uri);
    syntaxPublished.delete(e.document.uri);
    published.delete(e.document.uri);
    const file = fileOf(e.document.uri);
    const scope = scopeFor(file);
    if (scope.closeOpen(file)) scheduleOthers(scope);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onCodeLens(async (p) => {
    const doc = await current(p.textDocument.uri);
    return doc ? codeLenses(doc) : [];
  });
  connection.onHover(async (p) => {
    const doc = await current(p.textDocument.uri);
    return doc ? hoverAt(doc, doc.lines.offset(p.position)) : null;
  });
  connection.onCodeAction(async (p) => {
    const doc = await current(p.textDocument.uri);
    return doc ? codeActions(doc, p.context.diagnostics) : [];
  });
  connection.onDocumentSymbol(async (p) => {
    const doc = await current(p.textDocument.uri);
    return doc ? documentSymbols(doc) : [];
  });

  /**
   * Completion and signature help read the current text with the model of the last analysis: typing does not
   * wait for the whole file to be analysed again (a new document is analysed once first).
   */
  const lastAnalysis = async (uri: string): Promise<{ text: string; analyzed: AnalyzedDocument } | undefined> => {
    const doc = documents.get(uri);
    if (!doc || !isAnalysed(doc)) return undefined;
    const analyzed = cache.get(uri) ?? (await current(uri));
    return analyzed ? { text: doc.getText(), analyzed } : undefined;
  };
  connection.onCompletion(async (p) => {
    const last = await lastAnalysis(p.textDocument.uri);
    if (!last) return null;
    const lines = new LineIndex(last.text);
    return completion(last.text, lines, lines.offset(p.position), last.analyzed, { snippets: snippetSupport });
  });
  connection.onSignatureHelp(async (p) => {
    const last = await lastAnalysis(p.textDocument.uri);
    return last ? signatureHelp(last.text, new LineIndex(last.text).offset(p.position)) : null;
  });

  /** The documents go to definition and references search: the folder's schema files and its open documents. */
  const workspaceDocuments = (scope: FolderSchema): WorkspaceDocument[] => {
    const docs: WorkspaceDocument[] = scope.schemaDocuments().map((d) => ({ source: d.source, text: d.text, parsed: d.parsed ?? parseDocument(d.text) }));
    for (const d of documents.all()) {
      const a = cache.get(d.uri);
      if (a && a.scope === scope) docs.push(workspaceDocument(a));
    }
    return docs;
  };
  const definition = async (p: { textDocument: { uri: string }; position: { line: number; character: number } }) => {
    const doc = await current(p.textDocument.uri);
    return doc ? navigation.definition(doc, doc.lines.offset(p.position), workspaceDocuments(doc.scope)) : null;
  };
  connection.onDefinition(definition);
  connection.onDeclaration(definition);
  connection.onReferences(async (p) => {
    const doc = await current(p.textDocument.uri);
    return doc ? navigation.references(doc, doc.lines.offset(p.position), workspaceDocuments(doc.scope), p.context.includeDeclaration) : null;
  });
  connection.onDocumentHighlight(async (p) => {
    const doc = await current(p.textDocument.uri);
    return doc ? navigation.highlights(doc, doc.lines.offset(p.position)) : null;
  });
  connection.onRequest(GeneratedDdlRequest, (p: GeneratedDdlParams) => navigation.generatedText(p.uri));

  connection.onRequest(ReloadSchemaRequest, async () => {
    settingsCache.clear();
    folderConfigs.clear();
    await configureFolders();
    scheduleOthers(undefined);
    return folders.map((f) => f.status());
  });
  connection.onRequest(ServerStatsRequest, (): ServerStats => {
    const m = process.memoryUsage();
    return { rss: m.rss, heapUsed: m.heapUsed, openDocuments: documents.all().length, analyses: cache.analyses, cacheHits: cache.hits };
  });

  connection.onNotification(ClusterSnapshotNotification, (p: ClusterSnapshotParams) => {
    let model: SchemaModel | undefined;
    if (p.snapshot) {
      const loaded = modelFromSnapshot(p.snapshot, 'cluster');
      if (loaded.ok) model = loaded.model;
      else log(`cluster metadata ignored: ${loaded.error}`);
    }
    log(model ? `schema: using the connected cluster's metadata (${model.tables.size} tables)` : 'schema: cluster disconnected');
    for (const f of [loose, ...folders]) f.setCluster(model);
    cache.clear();
    scheduleOthers(undefined);
  });
  /** The schema scope of a document (or of the first folder) and the model its text is analysed with. */
  const modelFor = async (uri: string | undefined): Promise<{ scope: FolderSchema; model: SchemaModel }> => {
    await parserReady;
    const doc = uri ? documents.get(uri) : undefined;
    const file = uri ? fileOf(uri) : '';
    const scope = uri ? scopeFor(file) : (folders[0] ?? loose);
    await scope.whenLoaded();
    const model = doc ? ((await analyze(doc))?.analyzed.analysis.model ?? scope.baseFor(file)) : scope.baseFor(file);
    return { scope, model };
  };
  connection.onRequest(SchemaSnapshotRequest, async (p: SchemaSnapshotParams) => snapshotFromModel((await modelFor(p.uri)).model));

  connection.onRequest(StatementPredictionRequest, async (p: StatementPredictionParams) => {
    const doc = await current(p.uri);
    return doc ? statementPrediction(doc, p.offset) : null;
  });
  connection.onRequest(TableRolesRequest, async (p: TableRolesParams) => {
    const { scope, model } = await modelFor(p.uri);
    return tableRoles(scope, model);
  });

  documents.listen(connection);
  connection.listen();
}

declare const __VERSION__: string | undefined;
