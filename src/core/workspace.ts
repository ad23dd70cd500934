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
  for (const stmt of parsed.statements) {
    if (stmt.parentIndex !== undefined) continue;
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
 * The base model for analysing `forSource`: `base` (a snapshot or an empty model) plus the DDL of every
 * other document, in path order.
 */
export function buildSchema(base: SchemaModel, docs: readonly SchemaDocument[], forSource?: string): SchemaModel {
  const model = base.clone();
  const ordered = [...docs].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  for (const doc of ordered) {
    if (doc.source === forSource) continue;
    applyDocumentDdl(model, doc);
  }
  model.sources = [...base.sources, ...ordered.filter((d) => d.source !== forSource).map((d) => d.source)];
  return model;
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
