/**
 * Statements PostgreSQL (and Citus) refuse inside a transaction block (PreventInTransactionBlock): CREATE / DROP INDEX
 * CONCURRENTLY, REINDEX CONCURRENTLY, REINDEX DATABASE / SYSTEM, VACUUM, ALTER SYSTEM, CREATE / DROP DATABASE, DISCARD
 * ALL, CLUSTER of every table, and Citus' create_distributed_table_concurrently. A migration tool that wraps each file
 * in BEGIN .. COMMIT meets it with the index built CONCURRENTLY to keep the table writable (rule
 * transaction-block-refused). Messages as PostgreSQL 15 and Citus 13.2.2 print them (checked on the local cluster).
 */
import { functionName, type PgNode } from './parse/ast';
import { isCitusTable, type SchemaModel } from './schema/model';

/** What the statement is called in PostgreSQL's message, when it cannot run inside a transaction block. */
export function transactionBlockRefusal(ast: PgNode | undefined, model: SchemaModel, searchPath: readonly string[]): string | undefined {
  if (!ast) return undefined;
  const what = refusedName(ast, model, searchPath);
  return what ? `${what} cannot run inside a transaction block` : undefined;
}

function refusedName(ast: PgNode, model: SchemaModel, searchPath: readonly string[]): string | undefined {
  if (ast.IndexStmt?.concurrent) {
    // (Citus refuses a unique index without the distribution column first: rollup-key-without-dist-column)
    const rv = ast.IndexStmt.relation;
    const table = rv?.relname ? model.resolve(rv.schemaname, rv.relname, searchPath) : undefined;
    if (ast.IndexStmt.unique && (!table || isCitusTable(table))) return undefined;
    return 'CREATE INDEX CONCURRENTLY';
  }
  if (ast.DropStmt?.concurrent && ast.DropStmt.removeType === 'OBJECT_INDEX') return 'DROP INDEX CONCURRENTLY';
  if (ast.ReindexStmt) {
    const r = ast.ReindexStmt;
    if ((r.params ?? []).some((p: PgNode) => p.DefElem?.defname === 'concurrently')) return 'REINDEX CONCURRENTLY';
    if (r.kind === 'REINDEX_OBJECT_DATABASE') return 'REINDEX DATABASE';
    if (r.kind === 'REINDEX_OBJECT_SYSTEM') return 'REINDEX SYSTEM';
    return undefined;
  }
  if (ast.VacuumStmt?.is_vacuumcmd) return 'VACUUM';
  if (ast.AlterSystemStmt) return 'ALTER SYSTEM';
  if (ast.CreatedbStmt) return 'CREATE DATABASE';
  if (ast.DropdbStmt) return 'DROP DATABASE';
  if (ast.DiscardStmt?.target === 'DISCARD_ALL') return 'DISCARD ALL';
  if (ast.ClusterStmt && !ast.ClusterStmt.relation) return 'CLUSTER';
  // SELECT create_distributed_table_concurrently(..), the call itself (not one under a condition)
  const s = ast.SelectStmt;
  if (s && !s.fromClause?.length && !s.whereClause && (s.targetList ?? []).length === 1) {
    const call = s.targetList[0].ResTarget?.val?.FuncCall;
    if (call && functionName(call) === 'create_distributed_table_concurrently') return 'create_distributed_table_concurrently';
  }
  return undefined;
}
