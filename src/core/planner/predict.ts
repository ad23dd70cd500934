/**
 * Predicts how Citus 13 runs an INSERT..SELECT. (First version: target kind only; the full decision
 * procedure of the rules note replaces it.)
 */
import type { ParsedStatement } from '../parse/document';
import type { SessionState } from '../schema/ddl';
import type { SchemaModel } from '../schema/model';
import type { PlannerFinding } from '../rules/rule';
import type { CitusMessage, Method } from '../types';

export interface PlannerResult {
  method: Method;
  reasons: CitusMessage[];
  findings: PlannerFinding[];
  summary?: string;
  targetName?: string;
}

export function predictInsertSelect(stmt: ParsedStatement, model: SchemaModel, session: SessionState): PlannerResult {
  const insert = stmt.ast?.InsertStmt;
  const rv = insert?.relation;
  const targetName = rv ? (rv.schemaname ? `${rv.schemaname}.${rv.relname}` : rv.relname) : undefined;
  const target = rv ? model.resolve(rv.schemaname, rv.relname, session.searchPath) : undefined;
  if (!target) return { method: 'not_applicable', reasons: [], findings: [], targetName, summary: 'unknown table' };
  return { method: target.kind === 'hash' ? 'pushdown' : 'pull_to_coordinator', reasons: [], findings: [], targetName };
}
