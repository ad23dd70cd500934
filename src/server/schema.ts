/**
 * The workspace schema of one workspace folder: the DDL of its SQL files (disk contents, replaced by
 * the open documents' text), plus an optional metadata snapshot. A `version` counter moves whenever
 * something that changes table models changes, so analyses can be cached by it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { parseDocument, type ParsedDocument, type ParsedStatement } from '../core/parse/document';
import { SchemaModel, type TableModel } from '../core/schema/model';
import { modelFromSnapshot } from '../core/schema/snapshot';
import { mergeModels } from '../core/schema/merge';
import { mayChangeSchema } from '../core/schema/ddl';
import { buildSchema, parseSchemaStatements, schemaStatements, type SchemaDocument } from '../core/workspace';
import type { SchemaStatus } from '../protocol';
import { DEFAULT_SETTINGS, schemaSettingsKey, type Settings } from './settings';

/** The workspace scan gives the event loop a turn after this many milliseconds of reading and parsing. */
const SCAN_SLICE_MS = 8;

interface Pending {
  promise: Promise<void>;
  resolve: () => void;
  settled: boolean;
}

function pending(): Pending {
  let resolve!: () => void;
  const p: Pending = { promise: new Promise<void>((r) => (resolve = r)), resolve: () => undefined, settled: false };
  p.resolve = () => {
    p.settled = true;
    resolve();
  };
  return p;
}

/** Files larger than this are not read as schema (a data dump is not DDL we need). */
export const MAX_SCHEMA_FILE_BYTES = 8 * 1024 * 1024;
const MAX_SCHEMA_FILES = 5000;

interface SchemaFile {
  text: string;
  /** the statements that can define schema (every statement for open documents, see parseSchemaStatements) */
  parsed: ParsedDocument;
  fingerprint: string;
  /** every statement, when known (open documents; files on disk once asked for) */
  all?: ParsedDocument;
}

export type Log = (message: string) => void;

export class FolderSchema {
  private settings: Settings = DEFAULT_SETTINGS;
  private isIncluded: (rel: string) => boolean = () => false;
  private isExcluded: (rel: string) => boolean = () => false;
  private readonly disk = new Map<string, SchemaFile>();
  private readonly open = new Map<string, SchemaFile>();
  private snapshot: { model?: SchemaModel; error?: string; path?: string } = {};
  private configError: string | undefined;
  private readonly baseCache = new Map<string, { key: string; model: SchemaModel }>();
  /** moves when the snapshot, the cluster, the settings or the file set change (what every file's model reads) */
  version = 0;
  /** how often a schema file's DDL changed, in all and per file (see baseKey) */
  private documentChanges = 0;
  private readonly changesOf = new Map<string, number>();
  private statusCache: { key: string; status: SchemaStatus } | undefined;
  /** the folder's files are read (see reloadAll); the scope outside every folder has none to read */
  private loaded: Pending;
  private scans = 0;

  /** `root` is a file-system path; undefined for the scope of files outside every folder. */
  constructor(
    readonly root: string | undefined,
    private readonly log: Log,
  ) {
    this.loaded = pending();
    if (root === undefined) this.loaded.resolve();
  }

  /** Applies settings; returns true when the file set or the snapshot must be re-read. */
  configure(settings: Settings): boolean {
    const changed = schemaSettingsKey(settings) !== schemaSettingsKey(this.settings);
    this.settings = settings;
    this.isIncluded = picomatch(settings.schemaInclude, { dot: false });
    this.isExcluded = settings.schemaExclude.length ? picomatch(settings.schemaExclude, { dot: true }) : () => false;
    return changed;
  }

  /** Why the folder's citus-rollups.json is ignored (shown in the status), or undefined. */
  setConfigError(error: string | undefined): void {
    this.configError = error;
  }

  contains(file: string): boolean {
    if (!this.root) return false;
    const rel = path.relative(this.root, file);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  }

  /** Whether `file` is one of this folder's schema files (by the include/exclude globs, or the config's `schema`). */
  isSchemaFile(file: string): boolean {
    if (this.isExplicitSchemaFile(file)) return true;
    if (!this.contains(file)) return false;
    const rel = this.globPath(file);
    return this.isIncluded(rel) && !this.isExcluded(rel);
  }

  /** The path the globs match: relative to the config's folder when they come from it, else to the folder. */
  private globPath(file: string): string {
    return toPosix(path.relative(this.settings.globRoot ?? (this.root as string), file));
  }

  private isExplicitSchemaFile(file: string): boolean {
    return this.settings.schemaFiles.some((p) => file === p || (file.startsWith(p + path.sep) && /\.(sql|psql|pgsql)$/i.test(file)));
  }

  isSnapshotFile(file: string): boolean {
    return this.snapshotFile() === file;
  }

  /**
   * Reads every schema file and the snapshot from disk. The scan yields to the event loop every few milliseconds
   * (a large workspace never freezes the server: a newly opened file gets its first diagnostics meanwhile) and
   * replaces the folder's files at the end, so nothing sees half a scan; `whenLoaded` waits for it. A newer
   * scan makes an older one stop.
   */
  async reloadAll(): Promise<void> {
    const scan = ++this.scans;
    if (this.loaded.settled) this.loaded = pending();
    const disk = new Map<string, SchemaFile>();
    try {
      if (this.root) {
        const files = this.listSchemaFiles(this.root);
        // (Date.now, not performance.now: the global `performance` loads perf_hooks, milliseconds of the server's
        // start; a slice is 8 ms, so a millisecond clock is enough)
        let slice = Date.now();
        for (const f of files) {
          const text = this.readSchemaText(f);
          if (text === undefined) continue;
          const statements: ParsedStatement[] = [];
          const parsing = schemaStatements(text, statements);
          while (!parsing.next().done) {
            if (Date.now() - slice < SCAN_SLICE_MS) continue;
            await new Promise((resolve) => setImmediate(resolve));
            if (scan !== this.scans) return; // a newer scan resolves whenLoaded
            slice = Date.now();
          }
          disk.set(f, schemaFile(text, { text, statements, wholeText: false }));
        }
        this.log(`schema: ${disk.size} file(s) under ${this.root}`);
      }
    } catch (e) {
      // a bug of ours must not leave the folder waiting for ever: keep what was read, say what failed
      this.log(`schema: reading ${this.root} failed: ${(e as Error).stack ?? String(e)}`);
    }
    this.disk.clear();
    for (const [f, d] of disk) this.disk.set(f, d);
    this.loadSnapshot();
    this.bump();
    this.loaded.resolve();
  }

  /** Resolves when the folder's files have been read (at once for the scope of files outside every folder). */
  whenLoaded(): Promise<void> {
    return this.loaded.promise;
  }

  /** A file was created, changed or deleted on disk. Returns true when the schema changed. */
  diskFileChanged(file: string, deleted: boolean): boolean {
    if (this.isSnapshotFile(file)) {
      this.loadSnapshot();
      this.bump();
      return true;
    }
    if (!this.isSchemaFile(file)) return false;
    const before = this.disk.get(file)?.fingerprint;
    const text = deleted ? undefined : this.readSchemaText(file);
    if (text !== undefined) this.disk.set(file, schemaFile(text, parseSchemaStatements(text)));
    else this.disk.delete(file);
    const after = this.disk.get(file)?.fingerprint;
    if (before === after || this.open.has(file)) return false;
    this.documentChanged(file);
    return true;
  }

  /** An open document's text replaces the disk text. Returns true when its DDL changed. */
  setOpenText(file: string, text: string, parsed: ParsedDocument): boolean {
    if (!this.isSchemaFile(file)) return false;
    const fingerprint = ddlFingerprint(parsed);
    const before = (this.open.get(file) ?? this.disk.get(file))?.fingerprint;
    this.open.set(file, { text, parsed, fingerprint, all: parsed });
    if (before === fingerprint) return false;
    this.documentChanged(file);
    return true;
  }

  /** The document was closed: the disk contents count again. */
  closeOpen(file: string): boolean {
    const was = this.open.get(file);
    if (!was) return false;
    this.open.delete(file);
    const disk = this.disk.get(file);
    if (disk?.fingerprint === was.fingerprint) return false;
    this.documentChanged(file);
    return true;
  }

  /** The connected cluster's model (shared by every folder): it wins over snapshot and DDL. */
  private cluster: SchemaModel | undefined;
  /** merge messages already in the Output channel since the cluster changed: each is logged once, not per file */
  private readonly loggedMerge = new Set<string>();
  setCluster(model: SchemaModel | undefined): void {
    this.cluster = model;
    this.loggedMerge.clear();
    this.bump();
  }

  hasCluster(): boolean {
    return this.cluster !== undefined;
  }

  /** A relation of the (merged) model that the connected cluster does not have: only the workspace defines it. */
  isMissingOnCluster(table: TableModel): boolean {
    return !!this.cluster && !table.catalog && !this.cluster.get(table.schema, table.name);
  }

  /**
   * What the model of `file` depends on: everything but the file's own DDL (which its analysis applies). An edit of
   * a file's DDL changes the key of every other file of the folder, not its own: its analysis stays incremental.
   */
  baseKey(file: string): string {
    return `${this.version}:${this.documentChanges - (this.changesOf.get(file) ?? 0)}`;
  }

  /** The model to analyse `file` against: snapshot + the DDL of every other schema file (+ the cluster, which wins). */
  baseFor(file: string): SchemaModel {
    const key = this.baseKey(file);
    const cached = this.baseCache.get(file);
    if (cached && cached.key === key) return cached.model;
    let model = buildSchema(this.snapshotWithSettings(), this.documents(), file);
    if (this.cluster) {
      const merged = mergeModels(this.cluster, model);
      for (const m of merged.messages) {
        if (this.loggedMerge.has(m.message)) continue;
        this.loggedMerge.add(m.message);
        this.log(`schema: ${m.message}`);
      }
      model = merged.model;
      model.sources = ['cluster', ...model.sources];
    }
    this.baseCache.set(file, { key, model });
    return model;
  }

  /** The snapshot (or an empty model) with the config's cluster settings on top. */
  private snapshotWithSettings(): SchemaModel {
    const settings = Object.entries(this.settings.clusterSettings);
    const postgres = this.settings.postgresVersion;
    if (settings.length === 0 && postgres === undefined) return this.snapshot.model ?? new SchemaModel();
    const model = this.snapshot.model ? this.snapshot.model.clone() : new SchemaModel();
    for (const [name, value] of settings) model.setClusterSetting(name, value);
    if (postgres !== undefined) model.postgresMajor = postgres;
    return model;
  }

  /** Text of a schema file (open or on disk), for "defined at file:line". */
  textOf(file: string): string | undefined {
    return (this.open.get(file) ?? this.disk.get(file))?.text;
  }

  /** The folder's schema for the status bar (computed again only when the schema or its errors change). */
  status(): SchemaStatus {
    const key = `${this.version}:${this.documentChanges}:${this.configError ?? ''}`;
    if (this.statusCache?.key !== key) this.statusCache = { key, status: this.computeStatus() };
    return this.statusCache.status;
  }

  private computeStatus(): SchemaStatus {
    const files = new Set([...this.disk.keys(), ...this.open.keys()]).size;
    const parts: string[] = [];
    if (this.cluster) parts.push('cluster');
    if (this.snapshot.model) parts.push('snapshot');
    if (files > 0 || parts.length === 0) parts.push(files === 0 ? 'no schema files' : `${files} schema file${files === 1 ? '' : 's'}`);
    const tables = this.snapshot.model?.tables.size ?? 0;
    const ddlTables = new Set<string>();
    for (const doc of this.documents()) {
      for (const s of doc.parsed?.statements ?? []) {
        const rv = s.parentIndex === undefined ? s.ast?.CreateStmt?.relation : undefined;
        if (rv?.relname) ddlTables.add(`${rv.schemaname ?? ''}.${rv.relname}`);
      }
    }
    return { source: parts.join(' + '), tables: tables + ddlTables.size, error: this.configError ?? this.snapshot.error };
  }

  /** The schema files with every statement parsed (open documents' text where open). */
  schemaDocuments(): SchemaDocument[] {
    const all = new Map<string, SchemaFile>(this.disk);
    for (const [f, doc] of this.open) all.set(f, doc);
    return [...all].map(([source, d]) => {
      d.all ??= parseDocument(d.text);
      return { source, text: d.text, parsed: d.all };
    });
  }

  private documents(): SchemaDocument[] {
    const all = new Map<string, SchemaFile>(this.disk);
    for (const [f, doc] of this.open) all.set(f, doc);
    return [...all].map(([source, d]) => ({ source, text: d.text, parsed: d.parsed }));
  }

  private bump(): void {
    this.version++;
  }

  private documentChanged(file: string): void {
    this.documentChanges++;
    this.changesOf.set(file, (this.changesOf.get(file) ?? 0) + 1);
  }

  private snapshotFile(): string | undefined {
    const p = this.settings.snapshotPath;
    if (!p) return undefined;
    if (path.isAbsolute(p)) return path.normalize(p);
    return this.root ? path.join(this.root, p) : undefined;
  }

  private loadSnapshot(): void {
    const file = this.snapshotFile();
    this.snapshot = { path: file };
    if (!file) return;
    let data: unknown;
    try {
      data = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      this.snapshot.error = `cannot read snapshot ${file}: ${code ?? (e as Error).message}`;
      this.log(this.snapshot.error);
      return;
    }
    const loaded = modelFromSnapshot(data, this.root ? toPosix(path.relative(this.root, file)) : file);
    if (loaded.ok) {
      this.snapshot.model = loaded.model;
      this.log(`schema: snapshot ${file} (${loaded.model.tables.size} tables)`);
    } else {
      this.snapshot.error = loaded.error;
      this.log(`schema: ${loaded.error}`);
    }
  }

  /** A schema file's text, or undefined when it cannot be read (or is no file, or too large). */
  private readSchemaText(file: string): string | undefined {
    let text: string;
    try {
      const stat = fs.statSync(file);
      if (!stat.isFile()) return undefined;
      if (stat.size > MAX_SCHEMA_FILE_BYTES) {
        this.log(`schema: skipping ${file}: ${stat.size} bytes is more than ${MAX_SCHEMA_FILE_BYTES}`);
        return undefined;
      }
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      this.log(`schema: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return undefined;
    }
    return text;
  }

  private listSchemaFiles(root: string): string[] {
    const out: string[] = [];
    const visit = (dir: string): void => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch (e) {
        this.log(`schema: cannot list ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        return;
      }
      for (const entry of entries) {
        if (out.length >= MAX_SCHEMA_FILES) return;
        const full = path.join(dir, entry.name);
        const rel = this.globPath(full);
        if (entry.isDirectory()) {
          if (entry.name === '.git' || this.isExcluded(rel + '/') || this.isExcluded(rel + '/x')) continue;
          visit(full);
        } else if (entry.isFile() && this.isIncluded(rel) && !this.isExcluded(rel)) out.push(full);
      }
    };
    visit(root);
    for (const p of this.settings.schemaFiles) {
      let stat: fs.Stats | undefined;
      try {
        stat = fs.statSync(p);
      } catch {
        this.log(`schema: cannot read ${p} (the config's "schema")`);
      }
      if (stat?.isFile()) out.push(p);
      else if (stat?.isDirectory()) {
        for (const e of fs.readdirSync(p, { recursive: true, withFileTypes: true })) {
          const full = path.join(e.parentPath ?? e.path, e.name);
          if (e.isFile() && this.isExplicitSchemaFile(full)) out.push(full);
        }
      }
    }
    if (out.length >= MAX_SCHEMA_FILES) this.log(`schema: stopped at ${MAX_SCHEMA_FILES} files under ${root}`);
    return [...new Set(out)].sort();
  }
}

function schemaFile(text: string, parsed: ParsedDocument): SchemaFile {
  return { text, parsed, fingerprint: ddlFingerprint(parsed) };
}

/**
 * The text of the statements that can change table models: the ones the workspace model applies
 * (core/workspace.ts applyDocumentDdl: transaction control and what `mayChangeSchema` accepts). Typing in a
 * rollup, a SELECT or a broken statement leaves it as it is, so the other files' models stay too.
 */
export function ddlFingerprint(parsed: ParsedDocument): string {
  const parts: string[] = [];
  for (const s of parsed.statements) {
    if (s.parentIndex !== undefined || !s.ast) continue;
    if (s.ast.TransactionStmt || mayChangeSchema(s)) parts.push(s.text);
  }
  return parts.join('\u0000');
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
