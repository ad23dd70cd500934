/**
 * Building the schema model from several documents: "the files of a workspace in path order, then the
 * file itself". A document's own DDL is applied during its analysis (in statement order), so the base
 * model for a document is built from every *other* document.
 */
import { parseDocument, type ParsedDocument } from './parse/document';
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
