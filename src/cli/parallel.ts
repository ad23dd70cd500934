/**
 * `lint` on several threads: a large input (many files, or one large file) is cut into pieces that the main
 * thread and worker threads (node:worker_threads, each running dist/cli.js as a worker) analyse at once; the
 * report is the same, byte for byte, as from one thread (test/cli/lint.test.ts compares).
 *
 * A piece is a whole file, or a range of a large file's statements (`analyzeDocument`'s `range`: a thread parses
 * the file and runs the statements before its range through only as far as they change the model or the session,
 * so its statements see exactly what they see in a whole analysis; test/core/analyzeRange.test.ts). Every thread
 * builds the same table model from the same inputs (the config, --catalog, --schema and the project's files, as
 * read by the main thread) and sends back plain results, which the main thread puts in order.
 *
 * Threads cost a start (loading the bundle and the parser, building the model: 100-200 ms each), each parses the
 * text before its range again and, above all, each runs the analysis' code cold (V8 compiles it again in every
 * thread, and a cold run is most of a one-shot lint's time): on 2 cores two threads take a 4,960-statement file from
 * 1.14 to 1.03 s and 20 files of 248 statements from 1.14 to 0.98 s, for 15–25% more CPU and 45% more memory
 * (docs/benchmarks.md). So `lint` runs on one thread unless `--jobs` says otherwise.
 */
import * as os from 'node:os';
import { analyzeDocument, type AnalyzeOptions } from '../core/analyze';
import { loadOlderGrammar, loadParser } from '../core/parse/libpg';
import type { ParsedDocument } from '../core/parse/document';
import type { SchemaModel } from '../core/schema/model';
import type { DocumentAnalysis, Severity } from '../core/types';
import { applyDocumentDdl, buildSchema, changesNoSchema, contributesTo, isMigration, parseSchemaStatements, schemaOrder, type SchemaDocument } from '../core/workspace';
import { LINT_WORKER_ARG } from '../launch/lintWorker';
import { loadBaseModel, UsageError, type LoadedConfig } from './project';

/** With `--jobs auto`: below this much SQL in all (about 1,300 typical statements) one thread is as fast as two. */
export const PARALLEL_MIN_BYTES = 200_000;
/** Threads at most, with `--jobs auto`; and whatever `--jobs` says (each thread holds the files and a parser). */
const MAX_AUTO_THREADS = 4;
const MAX_THREADS = 16;
/** A range of a file is no smaller than this many characters (a thread parses what comes before it again). */
const MIN_PIECE = 16_000;

/** Everything a thread needs to analyse the same files against the same model as the main thread. */
export interface LintInputs {
  config?: LoadedConfig;
  catalog?: string;
  schemaFiles: readonly string[];
  severities: Readonly<Record<string, Severity | 'off'>>;
  /** the date the statements are taken to run on (AnalyzeOptions.today): the day the lint started, in UTC */
  today?: string;
  /** the schema: every project file and every reported file (with the reported text), as the main thread read them */
  documents: readonly { source: string; text: string }[];
}

/** A file to report: its name in the report, its source (the schema document it replaces) and its text. */
export interface ReportedFile {
  path: string;
  source: string;
  text: string;
}

/** A piece of work: a file (by its index in the reported files), whole or a range of its statements. */
interface Piece {
  file: number;
  range?: { from: number; to: number };
  /** the bytes of SQL it analyses (its cost, for sharing the pieces out) */
  size: number;
}

/** The work of one thread. */
interface WorkerRequest {
  inputs: LintInputs;
  files: readonly ReportedFile[];
  pieces: readonly Piece[];
}

type WorkerReply = { ok: true; results: DocumentAnalysis[] } | { ok: false; error: string };

/** The analyses of the reported files, on the main thread alone. */
export class LintSession {
  private readonly docs: Map<string, LazySchemaDocument>;
  /** the documents in the order their DDL is applied (core/workspace.ts schemaOrder), and each one's place in it */
  private readonly ordered: LazySchemaDocument[];
  private readonly position: Map<string, number>;
  /**
   * the base model with the DDL of ordered[0 .. at) applied: what every file from `at` on starts from; one for the
   * migrations, which leave out dumps of the migrated schema (core/workspace.ts migrationDump), one for other files
   */
  private readonly prefixes = new Map<boolean, { at: number; model: SchemaModel; used: LazySchemaDocument[] }>();
  /** the model of the file analysed last (a file cut into ranges is analysed several times) */
  private last: { source: string; model: SchemaModel } | undefined;

  private constructor(
    private readonly base: SchemaModel,
    private readonly inputs: LintInputs,
  ) {
    this.docs = new Map(inputs.documents.map((d) => [d.source, new LazySchemaDocument(d.source, d.text)]));
    this.ordered = schemaOrder([...this.docs.values()]);
    this.position = new Map(this.ordered.map((d, i) => [d.source, i]));
  }

  /** The base model from the inputs (the parser must be loaded), and the older grammar the model declares. */
  static async open(inputs: LintInputs): Promise<LintSession> {
    const base = loadBaseModel({ config: inputs.config, catalog: inputs.catalog, schemaFiles: inputs.schemaFiles });
    // a declared PostgreSQL 15 or 16: its grammar (docs/config.md)
    await loadOlderGrammar(base.postgresMajor);
    return new LintSession(base, inputs);
  }

  /** A reported file's analysis (of the statements of `range` only, when given). */
  analyze(file: ReportedFile, range?: { from: number; to: number }): DocumentAnalysis {
    if (this.last?.source !== file.source) this.last = { source: file.source, model: this.modelFor(file.source) };
    const schema = this.last.model;
    const options: AnalyzeOptions = { source: file.path, severities: this.inputs.severities, today: this.inputs.today };
    if (range) options.range = range;
    const analysis = analyzeDocument(file.text, schema, options);
    // (a later file's model reuses the parse)
    if (!range) this.docs.get(file.source)?.adopt(analysis.parsed);
    return { statements: analysis.statements, findings: analysis.findings };
  }

  /** The analyses of `files` (in their order), made in the order the files' DDL is applied: each model from the last. */
  analyzeAll(files: readonly ReportedFile[]): DocumentAnalysis[] {
    return this.analyzePieces(files, files.map((_, file) => ({ file, size: 0 })));
  }

  /** The analyses of `pieces` (in their order), made in the order the files' DDL is applied, a file's ranges in order. */
  analyzePieces(files: readonly ReportedFile[], pieces: readonly Piece[]): DocumentAnalysis[] {
    const at = (p: Piece): number => this.position.get(files[p.file].source) ?? -1;
    const order = pieces.map((_, i) => i).sort((a, b) => at(pieces[a]) - at(pieces[b]) || pieces[a].file - pieces[b].file || (pieces[a].range?.from ?? 0) - (pieces[b].range?.from ?? 0));
    const out: DocumentAnalysis[] = new Array(pieces.length);
    for (const i of order) out[i] = this.analyze(files[pieces[i].file], pieces[i].range);
    return out;
  }

  /**
   * The documents whose DDL the model of `source` is built from (modelFor), in the order it is applied, less those
   * that change no model: with the base model's inputs, all a file's model depends on (lint's --cache, ./cache.ts).
   */
  modelDocuments(source: string): readonly { source: string; text: string }[] {
    return this.ordered.filter((d) => d.source !== source && contributesTo(d, source) && !d.changesNoSchema);
  }

  /**
   * The model of `source`, as core/workspace.ts buildSchema makes it (the base, then the DDL of every other document
   * but the later migrations of its sequence, in schemaOrder), from the shared prefix: the documents before it are all
   * in its model, so only those after it are applied to a copy (those whose DDL changes nothing are skipped). Files
   * analysed in schemaOrder cost one pass over the documents before them, not one per file.
   */
  private modelFor(source: string): SchemaModel {
    const i = this.position.get(source);
    if (i === undefined) return buildSchema(this.base, this.ordered, source);
    // (which documents before it are in its model depends only on whether it is a migration)
    const kind = isMigration(source);
    if (!kind && this.ordered[i].changesNoSchema) return this.everyOther();
    let p = this.prefixes.get(kind);
    if (!p || p.at > i) p = { at: 0, model: this.base.clone(), used: [] };
    for (; p.at < i; p.at++) {
      const d = this.ordered[p.at];
      if (!contributesTo(d, source)) continue;
      applyDocumentDdl(p.model, d);
      p.used.push(d);
    }
    this.prefixes.set(kind, p);
    const model = p.model.clone();
    const used = [...p.used];
    for (const d of this.ordered.slice(i + 1)) {
      if (!contributesTo(d, source)) continue;
      if (!d.changesNoSchema) applyDocumentDdl(model, d);
      used.push(d);
    }
    model.sources = [...this.base.sources, ...used.map((d) => d.source)];
    return model;
  }

  /**
   * The model of a file that is no migration and whose DDL changes no model (a rollup script: DML and queries): the
   * DDL of every other document, which is the DDL of every document, the same for all such files. Built once, with
   * the DDL applied once per document (a model per file, each from the documents after it, cost a folder of n
   * rollup scripts n² applications); not copied, as analyzeDocument copies a model before it changes it.
   */
  private everyOther(): SchemaModel {
    // (for a file that is no migration, buildSchema leaves out only the rollbacks, as for no file in particular)
    this.shared ??= buildSchema(this.base, this.ordered.filter((d) => !d.changesNoSchema));
    return this.shared;
  }
  private shared: SchemaModel | undefined;
}

/**
 * How many threads `lint` uses: `--jobs N` (at most 16), or with `--jobs auto` one per core (at most 4) for a large
 * input; one by default, and where no worker can be started (the CLI's code run from its sources, in the tests).
 */
export function threadCount(n: number | 'auto', totalBytes: number, canSpawn: boolean): number {
  if (!canSpawn) return 1;
  if (n !== 'auto') return Math.min(n, MAX_THREADS);
  if (totalBytes < PARALLEL_MIN_BYTES) return 1;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(MAX_AUTO_THREADS, cores, Math.ceil(totalBytes / PARALLEL_MIN_BYTES)));
}

/** The value of `--jobs`, checked: a number of threads, or `auto` (default 1). */
export function jobsOption(jobs: string | undefined): number | 'auto' {
  if (jobs === undefined) return 1;
  if (jobs === 'auto') return 'auto';
  if (!/^[1-9]\d{0,2}$/.test(jobs)) throw new UsageError(`--jobs must be a whole number from 1 to 999, or auto (got '${jobs}')`);
  return Number(jobs);
}

/**
 * The pieces of the files for `threads` threads: a file larger than a thread's share is cut into ranges of about
 * a share each; the pieces go, largest first, to the thread with the least work (the main thread's work counts
 * from `headStart` bytes less: it starts while the workers load).
 */
export function sharePieces(files: readonly ReportedFile[], threads: number, headStart: number): Piece[][] {
  const total = files.reduce((n, f) => n + f.text.length, 0);
  const share = (total + headStart) / threads;
  const pieces: Piece[] = [];
  files.forEach((f, file) => {
    const parts = Math.max(1, Math.min(Math.round(f.text.length / share), Math.floor(f.text.length / MIN_PIECE)));
    if (parts === 1) {
      pieces.push({ file, size: f.text.length });
      return;
    }
    for (let k = 0; k < parts; k++) {
      const from = Math.floor((k * f.text.length) / parts);
      // (the last range takes every statement that starts at or after its start)
      const to = k === parts - 1 ? f.text.length + 1 : Math.floor(((k + 1) * f.text.length) / parts);
      pieces.push({ file, range: { from, to }, size: Math.min(to, f.text.length) - from });
    }
  });
  const load = Array.from({ length: threads }, (_, t) => (t === 0 ? -headStart : 0));
  const out: Piece[][] = Array.from({ length: threads }, () => []);
  for (const p of [...pieces].sort((a, b) => b.size - a.size)) {
    let t = 0;
    for (let k = 1; k < threads; k++) if (load[k] < load[t]) t = k;
    out[t].push(p);
    load[t] += p.size;
  }
  return out.filter((ps, t) => t === 0 || ps.length > 0);
}

/**
 * The analyses of the files on `threads` threads (the first is this one), in the files' order. `workerScript`
 * runs `runLintWorker` in a worker thread (dist/cli.js).
 */
export async function analyzeInParallel(session: LintSession, inputs: LintInputs, files: readonly ReportedFile[], threads: number, workerScript: string): Promise<DocumentAnalysis[]> {
  // (a worker starts in about the time this thread analyses 40 kB)
  const shares = sharePieces(files, threads, 40_000);
  const replies = shares.slice(1).map((pieces) => runWorker(workerScript, { inputs, files, pieces }));
  // (a rejected reply is awaited below; until then it must not count as unhandled)
  for (const r of replies) r.catch(() => undefined);
  const mine = session.analyzePieces(files, shares[0]);
  const theirs = await Promise.all(replies);
  // each file's pieces in the order of their ranges
  const parts = new Map<number, { from: number; analysis: DocumentAnalysis }[]>();
  const add = (p: Piece, analysis: DocumentAnalysis): void => {
    const list = parts.get(p.file) ?? [];
    list.push({ from: p.range?.from ?? 0, analysis });
    parts.set(p.file, list);
  };
  shares[0].forEach((p, i) => add(p, mine[i]));
  shares.slice(1).forEach((pieces, t) => pieces.forEach((p, i) => add(p, theirs[t][i])));
  return files.map((_, file) => {
    const list = (parts.get(file) ?? []).sort((a, b) => a.from - b.from);
    return { statements: list.flatMap((p) => p.analysis.statements), findings: list.flatMap((p) => p.analysis.findings) };
  });
}

function runWorker(script: string, request: WorkerRequest): Promise<DocumentAnalysis[]> {
  return new Promise((resolve, reject) => {
    // (node:worker_threads loaded here, when threads are wanted: the one-thread lint does without it)
    const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
    const worker = new Worker(script, { workerData: request, argv: [LINT_WORKER_ARG], stdout: false, stderr: false });
    let settled = false;
    worker.once('message', (reply: WorkerReply) => {
      settled = true;
      if (reply.ok) resolve(reply.results);
      else reject(new Error(reply.error));
    });
    worker.once('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`a lint worker thread exited (${code}) without results`));
    });
  });
}

/** A worker thread's work (dist/cli.js in a worker): the pieces it was given, analysed, sent back in order. */
export async function runLintWorker(): Promise<void> {
  const { workerData, parentPort: port } = require('node:worker_threads') as typeof import('node:worker_threads');
  const request = workerData as WorkerRequest;
  if (!port) {
    process.stderr.write(`citus-rollups: ${LINT_WORKER_ARG} is for lint's own worker threads\n`);
    process.exitCode = 2;
    return;
  }
  try {
    await loadParser();
    const session = await LintSession.open(request.inputs);
    const results = session.analyzePieces(request.files, request.pieces);
    port.postMessage({ ok: true, results } satisfies WorkerReply);
  } catch (e) {
    port.postMessage({ ok: false, error: (e as Error).stack ?? String(e) } satisfies WorkerReply);
  }
}

/**
 * A project file as schema: when a model first needs its DDL, its statements that can define schema are parsed
 * (core/workspace.ts parseSchemaStatements: the INSERTs, UPDATEs, DELETEs and MERGEs of rollup scripts only split),
 * once.
 */
class LazySchemaDocument implements SchemaDocument {
  private tree: ParsedDocument | undefined;
  constructor(
    readonly source: string,
    readonly text: string,
  ) {}

  get parsed(): ParsedDocument {
    this.tree ??= parseSchemaStatements(this.text);
    return this.tree;
  }

  /** Whether applying its DDL changes no model (core/workspace.ts changesNoSchema), worked out once. */
  get changesNoSchema(): boolean {
    this.noSchema ??= changesNoSchema(this.parsed);
    return this.noSchema;
  }
  private noSchema: boolean | undefined;

  /** The file's analysis parsed the same text: later models use that parse. */
  adopt(parsed: ParsedDocument): void {
    this.tree ??= parsed;
  }
}
