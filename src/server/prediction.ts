/**
 * What the client's EXPLAIN panel and scaffold wizard ask about the workspace: the prediction of one statement
 * (the very analysis its code lens shows), the relations the connected cluster lacks, and which tables are rollups.
 */
import { walk, type PgNode } from '../core/parse/ast';
import { qualifiedName, type SchemaModel, type TableModel } from '../core/schema/model';
import type { StatementPrediction, TableRoles } from '../protocol';
import type { AnalyzedDocument } from './documents';
import { locationLabel } from './hover';
import type { FolderSchema } from './schema';

/** The prediction of the top-level statement that starts at `offset`, or null. */
export function statementPrediction(doc: AnalyzedDocument, offset: number): StatementPrediction | null {
  const parsed = doc.analysis.parsed.statements.find((s) => s.parentIndex === undefined && s.start === offset);
  if (!parsed) return null;
  const result = doc.analysis.statements.find((s) => s.index === parsed.index);
  if (!result) return null;
  const notOnCluster: StatementPrediction['notOnCluster'] = [];
  for (const t of relationsOf(parsed.ast, doc.analysis.model)) {
    if (!doc.scope.isMissingOnCluster(t)) continue;
    notOnCluster.push({ table: qualifiedName(t.schema, t.name), definedAt: t.definedAt ? locationLabel(doc, t.definedAt) : undefined });
  }
  return { method: result.prediction.method, ...(result.outcome ? { outcome: result.outcome } : {}), reasons: result.prediction.reasons, summary: result.prediction.summary, notOnCluster };
}

/** The rollups (INSERT .. SELECT targets in the workspace's SQL) and the tables only the workspace has. */
export function tableRoles(scope: FolderSchema, model: SchemaModel): TableRoles {
  const rollupTargets = new Set<string>();
  for (const doc of scope.schemaDocuments()) {
    for (const s of doc.parsed?.statements ?? []) {
      const insert = s.ast?.InsertStmt;
      if (!insert?.selectStmt || !insert.relation?.relname) continue;
      const t = resolve(model, insert.relation);
      if (t) rollupTargets.add(qualifiedName(t.schema, t.name));
    }
  }
  const workspaceOnly = [...model.tables.values()].filter((t) => scope.isMissingOnCluster(t)).map((t) => qualifiedName(t.schema, t.name));
  return { rollupTargets: [...rollupTargets].sort(), workspaceOnly: workspaceOnly.sort(), connected: scope.hasCluster() };
}

/** The tables, views and other relations a statement names (CTE names resolve to nothing and are left out). */
function relationsOf(ast: PgNode | undefined, model: SchemaModel): TableModel[] {
  const out = new Map<string, TableModel>();
  if (!ast) return [];
  const add = (rv: PgNode | undefined): void => {
    const t = rv?.relname ? resolve(model, rv) : undefined;
    if (t && !t.catalog) out.set(qualifiedName(t.schema, t.name), t);
  };
  walk(ast, (type, fields) => {
    if (type === 'RangeVar') add(fields);
    // the target of a modification is a plain field, not a wrapped RangeVar node
    else if (TARGETED.has(type)) add(fields.relation);
    return undefined;
  });
  return [...out.values()];
}

const TARGETED = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

function resolve(model: SchemaModel, rv: PgNode): TableModel | undefined {
  if (rv.schemaname) return model.get(rv.schemaname, rv.relname);
  return model.resolve(undefined, rv.relname, ['public', ...[...model.schemas].filter((s) => s !== 'public').sort()]);
}
