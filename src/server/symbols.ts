/** Document symbols: one per statement, so the outline lists the rollups by target. */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { functionName, nameList, stringValue, walk, type PgNode } from '../core/parse/ast';
import type { ParsedStatement } from '../core/parse/document';
import { toRange } from './convert';
import type { AnalyzedDocument } from './documents';

export function documentSymbols(doc: AnalyzedDocument): DocumentSymbol[] {
  const top: DocumentSymbol[] = [];
  const byIndex = new Map<number, DocumentSymbol>();
  for (const stmt of doc.analysis.parsed.statements) {
    const result = doc.analysis.statements.find((s) => s.index === stmt.index);
    const { name, kind } = result?.kind === 'insert_select' ? { name: `INSERT INTO ${result.target ?? '?'}`, kind: SymbolKind.Event } : describe(stmt);
    const range = toRange(doc.lines, { start: stmt.start, end: stmt.end });
    const symbol: DocumentSymbol = { name, kind, range, selectionRange: range, children: [] };
    byIndex.set(stmt.index, symbol);
    const parent = stmt.parentIndex !== undefined ? byIndex.get(stmt.parentIndex) : undefined;
    if (parent) parent.children?.push(symbol);
    else top.push(symbol);
  }
  return top;
}

function rangeVarName(rv: PgNode | undefined): string {
  if (!rv) return '?';
  return rv.schemaname ? `${rv.schemaname}.${rv.relname}` : String(rv.relname);
}

function describe(stmt: ParsedStatement): { name: string; kind: SymbolKind } {
  const ast = stmt.ast;
  if (!ast) return { name: firstLine(stmt.text), kind: SymbolKind.Null };
  if (ast.CreateStmt) return { name: `CREATE TABLE ${rangeVarName(ast.CreateStmt.relation)}`, kind: SymbolKind.Class };
  if (ast.ViewStmt) return { name: `CREATE VIEW ${rangeVarName(ast.ViewStmt.view)}`, kind: SymbolKind.Interface };
  if (ast.CreateTableAsStmt) {
    const mat = ast.CreateTableAsStmt.objtype === 'OBJECT_MATVIEW';
    return { name: `CREATE ${mat ? 'MATERIALIZED VIEW' : 'TABLE'} ${rangeVarName(ast.CreateTableAsStmt.into?.rel)}`, kind: SymbolKind.Class };
  }
  if (ast.IndexStmt) return { name: `CREATE INDEX ${ast.IndexStmt.idxname ?? ''} ON ${rangeVarName(ast.IndexStmt.relation)}`.replace('  ', ' '), kind: SymbolKind.Key };
  if (ast.CreateFunctionStmt) {
    const names = nameList(ast.CreateFunctionStmt.funcname);
    return { name: `CREATE ${ast.CreateFunctionStmt.is_procedure ? 'PROCEDURE' : 'FUNCTION'} ${names.join('.')}`, kind: SymbolKind.Function };
  }
  if (ast.CreateSchemaStmt) return { name: `CREATE SCHEMA ${ast.CreateSchemaStmt.schemaname ?? ''}`, kind: SymbolKind.Namespace };
  if (ast.AlterTableStmt) return { name: `ALTER TABLE ${rangeVarName(ast.AlterTableStmt.relation)}`, kind: SymbolKind.Class };
  if (ast.InsertStmt) return { name: `INSERT INTO ${rangeVarName(ast.InsertStmt.relation)}`, kind: SymbolKind.Event };
  if (ast.SelectStmt) {
    const call = citusCall(ast);
    if (call) return { name: call, kind: SymbolKind.Method };
  }
  return { name: firstLine(stmt.text), kind: SymbolKind.Variable };
}

/** `create_distributed_table(page_views, tenant_id)` for a SELECT of a Citus UDF. */
function citusCall(ast: PgNode): string | undefined {
  let found: string | undefined;
  walk(ast, (type, fields) => {
    if (found || type !== 'FuncCall') return;
    const name = functionName(fields);
    if (!/^(create_distributed_table|create_reference_table|citus_|undistribute_table|alter_distributed_table|create_distributed_function|truncate_local_data)/.test(name)) return;
    const args = (fields.args ?? []).map((a: PgNode) => stringValue(a) ?? '').filter(Boolean);
    found = `${name}(${args.join(', ')})`;
    return false;
  });
  return found;
}

function firstLine(text: string): string {
  const line = text.trim().split(/\r?\n/)[0] ?? '';
  return line.length > 60 ? line.slice(0, 57) + '...' : line || '(statement)';
}
