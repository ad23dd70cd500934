/**
 * Building the schema model from several documents: "the files of a workspace in path order, then the
 * file itself". A document's own DDL is applied during its analysis (in statement order), so the base
 * model for a document is built from every *other* document.
 */
import { parseDocument, type ParsedDocument } from './parse/document';
import { applyStatement, mayChangeSchema, newSession, noteRowsWritten, TransactionTracker } from './schema/ddl';
import type { SchemaModel } from './schema/model';

export interface SchemaDocument {
  /** path or URI, used for ordering and "defined at" */
  source: string;
  text: string;
  /** parsed form, when the caller already has it */
  parsed?: ParsedDocument;
}

/** Applies a document's top-level DDL to `model` in order (each document starts with the default search_path). */
export function applyDocumentDdl(model: SchemaModel, doc: SchemaDocument): void {
  const parsed = doc.parsed ?? parseDocument(doc.text);
  const session = newSession(doc.text);
  const transactions = new TransactionTracker();
  for (const stmt of parsed.statements) {
    if (stmt.parentIndex !== undefined) continue;
    if (stmt.ast?.TransactionStmt) transactions.apply(stmt.ast.TransactionStmt, model, session);
    if (!mayChangeSchema(stmt)) {
      noteRowsWritten(stmt, session);
      continue;
    }
    transactions.beforeChange(model);
    try {
      applyStatement(stmt, { model, session, source: doc.source });
    } catch {
      // a bug in applying one statement's DDL must not lose the rest of the workspace schema
    }
    noteRowsWritten(stmt, session);
  }
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
