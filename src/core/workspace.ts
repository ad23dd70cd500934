/**
 * Building the schema model from several documents: "the files of a workspace in path order, then the
 * file itself". A document's own DDL is applied during its analysis (in statement order), so the base
 * model for a document is built from every *other* document.
 */
import { movedParsed, parseDocument, type ParsedDocument, type ParsedStatement } from './parse/document';
import { scanScript } from './parse/split';
import type { PgNode } from './parse/ast';
import { applyStatement, mayChangeSchema, newSession, noteRowsWritten, TransactionTracker, type DdlProblem } from './schema/ddl';
import { inReadOnlyTransaction, mentionsReadOnly, noteOpaqueReadOnly, readOnlyRefusal, refusedBeforeAnyChange } from './schema/readOnly';
import type { SchemaModel } from './schema/model';

export interface SchemaDocument {
  /** path or URI, used for ordering and "defined at" */
  source: string;
  text: string;
  /** parsed form, when the caller already has it */
  parsed?: ParsedDocument;
}

/**
 * Applies a document's top-level DDL to `model` in order (each document starts with the default search_path), as it
 * runs: DDL and Citus calls refused (by Citus, or in a read-only transaction) change nothing, and one refused inside a
 * transaction block aborts it as `analyzeDocument` does (nothing after it until ROLLBACK; COMMIT rolls back). Only the
 * refusals the DDL itself shows count here: the statements' own analysis, which finds more, is `analyzeDocument`'s.
 */
export function applyDocumentDdl(model: SchemaModel, doc: SchemaDocument): void {
  const parsed = doc.parsed ?? parseDocument(doc.text);
  const session = newSession(doc.text);
  const transactions = new TransactionTracker();
  let aborted = false;
  const readOnlyText = mentionsReadOnly(doc.text);
  // (a migration's down part, dbmate's and goose's, is what a rollback runs: not the schema it leaves)
  const down = DOWN_MARKER.exec(doc.text)?.index;
  for (const stmt of parsed.statements) {
    if (stmt.parentIndex !== undefined) continue;
    if (down !== undefined && stmt.start >= down) break;
    let tx: PgNode | undefined = stmt.ast?.TransactionStmt;
    if (aborted && !stmt.error) {
      tx = transactions.resumeAborted(tx);
      if (!tx) continue;
      aborted = false;
    }
    if (tx) transactions.apply(tx, model, session);
    const inBlock = !tx && !!session.inTransaction;
    if (!mayChangeSchema(stmt)) {
      noteRowsWritten(stmt, session);
      if (readOnlyText) noteOpaqueReadOnly(stmt, session);
      continue;
    }
    // (schema/readOnly.ts: DDL and Citus' calls fail in a read-only transaction)
    if (inReadOnlyTransaction(session) && refusedBeforeAnyChange(stmt, readOnlyRefusal(stmt, model, session.searchPath))) {
      aborted = inBlock;
      continue;
    }
    transactions.beforeChange(model);
    const problems: DdlProblem[] = [];
    try {
      applyStatement(stmt, { model, session, source: doc.source, problems });
    } catch {
      // a bug in applying one statement's DDL must not lose the rest of the workspace schema
    }
    if (inBlock && problems.length) aborted = true;
    noteRowsWritten(stmt, session);
    if (readOnlyText) noteOpaqueReadOnly(stmt, session);
  }
  // what this document dropped is surely gone for its own later statements only: the files run in no known order
  // (cleared here so that a base model carries none, and analyzeDocument need not copy it to forget them)
  model.goneRelations.clear();
}

/**
 * The base model for analysing `forSource`: `base` (a snapshot or an empty model) plus the DDL of every other document
 * that runs before it or in no known order with it (schemaOrder), in that order: not the migrations of its own
 * sequence that come after it.
 */
export function buildSchema(base: SchemaModel, docs: readonly SchemaDocument[], forSource?: string): SchemaModel {
  const model = base.clone();
  const used = schemaOrder(docs).filter((d) => d.source !== forSource && contributesTo(d, forSource));
  for (const doc of used) applyDocumentDdl(model, doc);
  model.sources = [...base.sources, ...used.map((d) => d.source)];
  return model;
}

/** The line that starts a migration's down part in one file: dbmate's `-- migrate:down`, goose's `-- +goose Down`. */
const DOWN_MARKER = /^[ \t]*--[ \t]*(?:migrate:down|\+goose[ \t]+down)\b/im;

/**
 * A rollback script, which undoes a migration and is not run on the way to the schema: golang-migrate's
 * `3_x.down.sql`, Flyway's undo migrations `U3__x.sql` (and sqitch's revert scripts, below). Its DDL is in no other
 * file's model.
 */
const ROLLBACK = /(?:\.down\.sql|^U\d+(?:[._]\d+)*__[^/\\]*)$/;

/**
 * Whether `doc`'s DDL is in the model of `forSource` (besides being another file): not a rollback, not run later, and
 * for a migration not a dump of the migrated schema (migrationDump).
 */
export function contributesTo(doc: { source: string; text: string }, forSource: string | undefined): boolean {
  if (isRollback(doc.source)) return false;
  if (forSource === undefined) return true;
  if (isMigration(forSource) && migrationDump(doc)) return false;
  return !runsLater(doc.source, forSource);
}

/**
 * A dump of the schema the migrations made, which records them: dbmate's `db/schema.sql` (its `schema_migrations`
 * table and rows), a pg_dump with Flyway's history table. Not a migration itself; the migrations are what made it, so
 * it is in no migration's model (it would hold the columns a later migration adds). Other files see it.
 */
export function migrationDump(doc: { source: string; text: string }): boolean {
  return !isMigration(doc.source) && MIGRATION_HISTORY.test(doc.text);
}

const MIGRATION_HISTORY = /\b(?:schema_migrations|flyway_schema_history)\b/i;

/** Whether `source` is a migration (a file of a sequence: migrationOf). */
export function isMigration(source: string): boolean {
  return migrationOf(source) !== undefined;
}

/**
 * A migration: a file whose name starts with its version, a number (`0003_add_rollup.sql`, `20240101120000_x.sql`,
 * golang-migrate's `3_x.up.sql`) or `V` and a number (Flyway's `V3__add_rollup.sql`). The files of one directory and
 * one of the two styles are a sequence, run in the order of their versions.
 */
const MIGRATION = /^(V?)(\d+)/;

function migrationOf(source: string): { sequence: string; version: bigint } | undefined {
  // (remembered per name: a folder of n migrations asks n² times, for the order and for each file's model)
  let m = migrations.get(source);
  if (m === undefined) {
    if (migrations.size >= 10_000) migrations.clear();
    const slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
    const v = MIGRATION.exec(source.slice(slash + 1));
    m = v ? { sequence: `${source.slice(0, slash + 1)}\0${v[1]}`, version: BigInt(v[2]) } : null;
    migrations.set(source, m);
  }
  return m ?? undefined;
}
const migrations = new Map<string, { sequence: string; version: bigint } | null>();

/**
 * The order the files' DDL is applied in: path order, but the migrations of a sequence by version (`2_x.sql` before
 * `10_y.sql`). A consistent order: a name that sorts between two migrations of a style starts as they do, and is one.
 */
export function compareSources(a: string, b: string): number {
  const ma = migrationOf(a);
  const mb = ma && migrationOf(b);
  if (ma && mb && ma.sequence === mb.sequence && ma.version !== mb.version) return ma.version < mb.version ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `docs` in the order their DDL is applied (compareSources). */
export function schemaOrder<T extends { source: string }>(docs: readonly T[]): T[] {
  return [...docs].sort((a, b) => compareSources(a.source, b.source));
}

/**
 * Whether `source` runs after `forSource` in the same migration sequence: its DDL is not there yet when `forSource`
 * runs (a later migration's DROP COLUMN is no error of an earlier one's UPDATE), and it is left out of its model.
 */
export function runsLater(source: string, forSource: string): boolean {
  const a = migrationOf(source);
  const b = a && migrationOf(forSource);
  if (!a || !b || a.sequence !== b.sequence) return false;
  // (a rollback runs after the migrations of its version: `3_x.down.sql` after `3_x.up.sql`, which sorts after it)
  if (a.version === b.version && isRollback(forSource)) return false;
  return compareSources(source, forSource) > 0;
}

function isRollback(source: string): boolean {
  let r = rollbacks.get(source);
  if (r === undefined) {
    if (rollbacks.size >= 10_000) rollbacks.clear();
    const slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
    r = ROLLBACK.test(source.slice(slash + 1)) || SQITCH_REVERT.test(source);
    rollbacks.set(source, r);
  }
  return r;
}
const rollbacks = new Map<string, boolean>();

/** sqitch's revert scripts: the files of a `revert` folder (beside `deploy` and `verify`). */
const SQITCH_REVERT = /(?:^|[/\\])revert[/\\][^/\\]+$/;

/**
 * Whether applying the document's DDL changes no model: none of its top-level statements is DDL, SET, a Citus call or
 * transaction control (applyDocumentDdl then only follows its session).
 */
export function changesNoSchema(parsed: ParsedDocument): boolean {
  return parsed.statements.every((s) => s.parentIndex !== undefined || (!s.ast?.TransactionStmt && !mayChangeSchema(s)));
}

/** The first word of INSERT, UPDATE, DELETE and MERGE statements (which never change a model). */
const DML_START = /^(insert|update|delete|merge)\b/i;

/**
 * A schema file's statements that can define schema, with their document positions: the file is split as psql
 * reads it, and only the statements that do not start with INSERT, UPDATE, DELETE or MERGE are parsed. Those
 * never change a model (applyDocumentDdl applies top-level DDL, SET, transaction control and Citus calls), so
 * the model is the same as from a whole parse, and reading a workspace of rollup scripts costs a split, not a
 * parse of every statement.
 */
export function parseSchemaStatements(text: string): ParsedDocument {
  const statements: ParsedStatement[] = [];
  const parsing = schemaStatements(text, statements);
  while (!parsing.next().done);
  return { text, statements, wholeText: false };
}

/** parseSchemaStatements one statement at a time (into `out`), so that the workspace scan can pause between them. */
export function* schemaStatements(text: string, out: ParsedStatement[]): Generator<void> {
  const scanned = scanScript(text, { psql: true });
  for (const chunk of scanned.statements) {
    if (DML_START.test(scanned.cleaned.slice(chunk.start, chunk.start + 7))) continue;
    const part = parseDocument(text.slice(chunk.leadingStart, chunk.end)).statements;
    const renumber = out.length;
    for (const st of part) out.push(movedParsed(st, chunk.leadingStart, renumber));
    yield;
  }
}
