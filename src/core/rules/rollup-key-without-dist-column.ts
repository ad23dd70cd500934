/**
 * rollup-key-without-dist-column: a PRIMARY KEY or UNIQUE constraint of a hash-distributed table
 * (typically a rollup table, whose key is the ON CONFLICT arbiter) that does not contain the
 * distribution column. Citus refuses to distribute such a table, and refuses the constraint on one.
 */
import { nameList, stringValue, walk, functionName, type PgNode } from '../parse/ast';
import { alreadyDistributed, keysWithoutColumn, resolveRegclass } from '../schema/ddl';
import { displayName, findColumn, type TableModel } from '../schema/model';
import type { Range } from '../types';
import { valueLength } from '../rollup/upsert';
import type { Rule, RuleFinding } from './rule';

const CITUS_MESSAGE = 'Distributed relations cannot have UNIQUE, EXCLUDE, or PRIMARY KEY constraints that do not include the partition column (with an equality operator if EXCLUDE).';

export const rule: Rule = {
  meta: {
    id: 'rollup-key-without-dist-column',
    summary: 'A hash-distributed (rollup) table has a PRIMARY KEY or UNIQUE key without its distribution column; Citus refuses it.',
    defaultSeverity: 'error',
    fixable: false,
    citusMessage: CITUS_MESSAGE,
  },
  check(ctx) {
    if (ctx.model.settings.get('citus.allow_unsafe_constraints') === 'on') return [];
    const ast = ctx.stmt.ast;
    if (!ast || ctx.stmt.parentIndex !== undefined) return [];
    const out: RuleFinding[] = [];
    if (ast.SelectStmt) {
      walk(ast.SelectStmt, (type, fields) => {
        if (type !== 'FuncCall' || !['create_distributed_table', 'create_distributed_table_concurrently'].includes(functionName(fields))) return undefined;
        const arg0 = fields.args?.[0];
        const name = stringValue(arg0?.TypeCast?.arg ?? arg0);
        const table = name ? resolveRegclass(name, ctx.model, ctx.session.searchPath) : undefined;
        // the call's own column and method: a call Citus refuses leaves the table as it was (schema/ddl.ts)
        const column = table ? callColumn(fields, table) : undefined;
        // (Citus refuses to distribute a table again before it looks at its keys)
        if (!table || !column || alreadyDistributed(table, ctx.model, ctx.session)) return undefined;
        const start = ctx.stmt.toDocumentOffset(fields.location);
        for (const k of keysWithoutColumn(table, column, ctx.model)) out.push(finding(table, column, k, { start, end: start + functionName(fields).length }, 'distributing'));
        return undefined;
      });
    } else if (ast.AlterTableStmt) {
      const rv = ast.AlterTableStmt.relation;
      const table = ctx.model.resolve(rv?.schemaname, rv?.relname, ctx.session.searchPath);
      if (!table || !hasDistKey(table)) return [];
      for (const cmd of ast.AlterTableStmt.cmds ?? []) {
        // ADD COLUMN c .. UNIQUE / PRIMARY KEY: a key of the new column alone, which is not the distribution column
        const column = cmd.AlterTableCmd?.subtype === 'AT_AddColumn' ? cmd.AlterTableCmd.def?.ColumnDef : undefined;
        const inline = (column?.constraints ?? []).map((c: PgNode) => c.Constraint).find((c: PgNode | undefined) => c?.contype === 'CONSTR_PRIMARY' || c?.contype === 'CONSTR_UNIQUE');
        if (column?.colname && inline && column.colname !== table.distributionColumn) {
          const start = ctx.stmt.toDocumentOffset(inline.location ?? 0);
          out.push(finding(table, table.distributionColumn as string, [column.colname], { start, end: start + valueLength(ctx.stmt, start) }, 'constraint'));
          continue;
        }
        const con = cmd.AlterTableCmd?.def?.Constraint;
        if (!con || (con.contype !== 'CONSTR_PRIMARY' && con.contype !== 'CONSTR_UNIQUE')) continue;
        const keys = nameList(con.keys);
        if (keys.length && !keys.includes(table.distributionColumn as string)) {
          const start = ctx.stmt.toDocumentOffset(con.location ?? 0);
          out.push(finding(table, table.distributionColumn as string, keys, { start, end: start + valueLength(ctx.stmt, start) }, 'constraint'));
        }
      }
    } else if (ast.IndexStmt?.unique) {
      const idx = ast.IndexStmt;
      const table = ctx.model.resolve(idx.relation?.schemaname, idx.relation?.relname, ctx.session.searchPath);
      if (!table || !hasDistKey(table)) return [];
      const cols = (idx.indexParams ?? []).map((p: PgNode) => p.IndexElem?.name).filter(Boolean) as string[];
      if (cols.length === (idx.indexParams ?? []).length && !cols.includes(table.distributionColumn as string)) {
        const start = ctx.stmt.start;
        out.push(finding(table, table.distributionColumn as string, cols, { start, end: start + Math.max(1, ctx.stmt.text.search(/\bINDEX\b/i) + 5) }, 'index'));
      }
    }
    return out;
  },
};

function hasDistKey(t: TableModel): boolean {
  return (t.kind === 'hash' || t.kind === 'range') && !!t.distributionColumn;
}

/**
 * The distribution column of a create_distributed_table call, as the table names it, when the call distributes by hash or
 * range on a column of the table (a NULL column, append or reference distribution have no such check).
 */
function callColumn(call: PgNode, table: TableModel): string | undefined {
  const named = new Map<string, PgNode>();
  const positional: PgNode[] = [];
  for (const a of call.args ?? []) {
    if (a.NamedArgExpr) named.set(String(a.NamedArgExpr.name).toLowerCase(), a.NamedArgExpr.arg);
    else positional.push(a);
  }
  const text = (n: PgNode | undefined): string | undefined => stringValue(n?.TypeCast?.arg ?? n);
  const method = (text(named.get('distribution_type') ?? positional[2]) ?? 'hash').toLowerCase();
  if (method !== 'hash' && method !== 'range') return undefined;
  const column = text(named.get('distribution_column') ?? positional[1]);
  return column === undefined ? undefined : findColumn(table, column)?.name;
}

function finding(table: TableModel, dist: string, key: string[], range: Range, when: 'distributing' | 'constraint' | 'index'): RuleFinding {
  const name = displayName(table);
  const keyText = `(${key.join(', ')})`;
  const message =
    when === 'index'
      ? `Unique index ${keyText} on ${name} does not include its distribution column ${dist}: Citus refuses it (creating unique indexes on non-partition columns is currently unsupported).`
      : `The key ${keyText} of ${name} does not include its distribution column ${dist}: Citus refuses ${when === 'distributing' ? 'to distribute the table' : 'the constraint'}.`;
  return {
    message,
    range,
    explanation:
      `Each shard enforces uniqueness on its own, so Citus only allows keys that contain the distribution column (rules note §9). ` +
      `A rollup's key is its ON CONFLICT arbiter: make it (${[dist, ...key.filter((k) => k !== dist)].join(', ')}) — the distribution column first, then the time bucket and dimensions.`,
    citus: when === 'index'
      ? { level: 'ERROR', message: 'creating unique indexes on non-partition columns is currently unsupported' }
      : { level: 'ERROR', message: `cannot create constraint on "${table.name}"`, detail: CITUS_MESSAGE },
  };
}
