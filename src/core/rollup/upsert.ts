/**
 * Reading an INSERT..SELECT .. ON CONFLICT DO UPDATE the way a rollup author means it: which SELECT
 * expression feeds each updated column, whether that is an aggregate, how the SET merges the new value
 * with the stored one, and whether the statement rolls up a window (incremental) or everything.
 * Used by the rollup-correctness rules.
 */
import { functionName, nameList, walk, type PgNode } from '../parse/ast';
import type { ParsedStatement } from '../parse/document';
import type { SchemaModel } from '../schema/model';
import type { SessionState } from '../schema/ddl';
import type { Range } from '../types';

export type MergeKind = 'overwrite' | 'add' | 'least' | 'greatest' | 'other';

export interface Assignment {
  column: string;
  /** the SET value node */
  value: PgNode;
  /** how the value merges: EXCLUDED.c, t.c + EXCLUDED.c, LEAST(...), GREATEST(...), anything else */
  kind: MergeKind;
  /** whether the value reads the stored row (t.c or c) */
  readsStored: boolean;
  /** the aggregate that feeds this column in the SELECT, when the SELECT item is one (through casts) */
  aggregate?: { name: string; distinct: boolean; node: PgNode };
  /** document range of the SET value (start exact; end up to the next top-level comma / WHERE) */
  range: Range;
}

export interface UpsertInfo {
  /** how the SET clause names the target: its alias or table name */
  targetRef: string;
  select: PgNode;
  assignments: Assignment[];
  /** the SELECT reads only a window of the source (range filter, parameters or PL/pgSQL variables) */
  incremental: boolean;
}

const EXCLUDED = 'excluded';

/** Reads an `INSERT .. SELECT .. ON CONFLICT .. DO UPDATE SET` statement; undefined for anything else. */
export function readUpsert(stmt: ParsedStatement, model: SchemaModel, session: SessionState): UpsertInfo | undefined {
  const insert = stmt.ast?.InsertStmt;
  const occ = insert?.onConflictClause;
  if (!insert || !occ || occ.action !== 'ONCONFLICT_UPDATE') return undefined;
  const select = insert.selectStmt?.SelectStmt;
  if (!select || (select.op && select.op !== 'SETOP_NONE') || select.valuesLists) return undefined;
  const rv = insert.relation;
  const targetRef: string = rv.alias?.aliasname ?? rv.relname;
  let cols: string[] = (insert.cols ?? []).map((c: PgNode) => c.ResTarget?.name as string);
  if (cols.length === 0) {
    const table = model.resolve(rv.schemaname, rv.relname, session.searchPath);
    cols = table ? table.columns.map((c) => c.name) : [];
  }
  const items: PgNode[] = select.targetList ?? [];
  const hasStar = items.some((t) => (t.ResTarget?.val?.ColumnRef?.fields ?? []).some((f: PgNode) => f.A_Star));
  const assignments: Assignment[] = [];
  for (const t of occ.targetList ?? []) {
    const rt = t.ResTarget;
    if (!rt?.name || rt.indirection || !rt.val) continue;
    const column: string = rt.name;
    const value: PgNode = rt.val;
    const pos = cols.indexOf(column);
    const item = !hasStar && pos >= 0 ? items[pos]?.ResTarget?.val : undefined;
    const agg = item ? aggregateOf(item) : undefined;
    const start = stmt.toDocumentOffset(firstLoc(value) ?? rt.location);
    assignments.push({
      column,
      value,
      kind: mergeKind(value, column, targetRef),
      readsStored: readsStored(value, column, targetRef),
      aggregate: agg,
      range: { start, end: start + valueLength(stmt, start) },
    });
  }
  return { targetRef, select, assignments, incremental: isIncremental(select, stmt) };
}

/** The aggregate call at the top of a SELECT item (through casts). */
function aggregateOf(node: PgNode): Assignment['aggregate'] {
  let n = node;
  while (n?.TypeCast) n = n.TypeCast.arg;
  const f = n?.FuncCall;
  if (!f || f.over) return undefined;
  const name = functionName(f);
  return { name, distinct: !!f.agg_distinct, node: n };
}

function columnParts(node: PgNode): string[] | undefined {
  const fields = node?.ColumnRef?.fields;
  if (!fields) return undefined;
  return nameList(fields).map((s) => s.toLowerCase());
}

function isExcluded(node: PgNode, column: string): boolean {
  const p = columnParts(node);
  return !!p && p.length === 2 && p[0] === EXCLUDED && p[1] === column.toLowerCase();
}

function isStored(node: PgNode, column: string, targetRef: string): boolean {
  const p = columnParts(node);
  if (!p) return false;
  const c = column.toLowerCase();
  return (p.length === 1 && p[0] === c) || (p.length === 2 && p[0] === targetRef.toLowerCase() && p[1] === c);
}

function stripCoalesce(node: PgNode): PgNode {
  // COALESCE(t.c + EXCLUDED.c, t.c, EXCLUDED.c) and COALESCE(t.c, 0) + EXCLUDED.c are additions
  if (node?.CoalesceExpr) return node.CoalesceExpr.args?.[0] ?? node;
  return node;
}

function mergeKind(value: PgNode, column: string, targetRef: string): MergeKind {
  let v = value;
  while (v?.TypeCast) v = v.TypeCast.arg;
  if (isExcluded(v, column)) return 'overwrite';
  v = stripCoalesce(v);
  const e = v?.A_Expr;
  if (e && e.kind === 'AEXPR_OP' && nameList(e.name)[0] === '+') {
    const sides = [stripCoalesce(e.lexpr), stripCoalesce(e.rexpr)].map((s) => {
      let x = s;
      while (x?.TypeCast) x = x.TypeCast.arg;
      return x;
    });
    if (sides.some((s) => isExcluded(s, column)) && sides.some((s) => isStored(s, column, targetRef))) return 'add';
  }
  const mm = v?.MinMaxExpr;
  if (mm) {
    const args: PgNode[] = mm.args ?? [];
    if (args.some((a) => isExcluded(a, column)) && args.some((a) => isStored(a, column, targetRef))) return mm.op === 'IS_LEAST' ? 'least' : 'greatest';
  }
  return 'other';
}

function readsStored(value: PgNode, column: string, targetRef: string): boolean {
  let found = false;
  walk(value, (type, _fields, wrapper) => {
    if (type === 'ColumnRef' && isStored(wrapper, column, targetRef)) found = true;
  });
  return found;
}

/**
 * A window: the WHERE has a range comparison whose other side is not a number (`ts >= '2024-01-01'`,
 * `id > last_id`, BETWEEN), or it uses parameters / PL/pgSQL variables. `value > 0` is a filter, not a window.
 */
export function isIncremental(select: PgNode, stmt: ParsedStatement): boolean {
  const where = select.whereClause;
  if (!where) return false;
  const vars = new Set(stmt.variables.map((v) => v.toLowerCase()));
  let found = false;
  walk(where, (type, fields, wrapper) => {
    if (found) return false;
    if (type === 'ParamRef') found = true;
    if (type === 'ColumnRef') {
      const p = columnParts(wrapper);
      if (p && p.length === 1 && vars.has(p[0])) found = true;
    }
    if (type === 'A_Expr') {
      const op = nameList(fields.name)[0];
      if (fields.kind === 'AEXPR_BETWEEN' || fields.kind === 'AEXPR_NOT_BETWEEN') found = true;
      else if (fields.kind === 'AEXPR_OP' && ['<', '<=', '>', '>='].includes(op)) {
        // `value > 0` or `id > 1000` (a number on one side) is read as a filter, not a window
        if (!isNumber(fields.lexpr) && !isNumber(fields.rexpr)) found = true;
      }
    }
    return undefined;
  });
  return found;
}

function isNumber(node: PgNode): boolean {
  let n = node;
  while (n?.TypeCast) n = n.TypeCast.arg;
  const c = n?.A_Const;
  return !!c && (c.ival !== undefined || c.fval !== undefined);
}

function firstLoc(node: PgNode): number | undefined {
  let best: number | undefined;
  walk(node, (_t, fields) => {
    if (typeof fields.location === 'number' && fields.location >= 0 && (best === undefined || fields.location < best)) best = fields.location;
  });
  return best;
}

/**
 * Length of an expression in the document starting at `start`: up to the next comma, WHERE or
 * RETURNING at parenthesis depth 0 (quotes respected), trailing blanks and `;` excluded.
 */
export function valueLength(stmt: ParsedStatement, start: number): number {
  const text = stmt.text;
  const local = start - stmt.start;
  if (local < 0 || local > text.length) return 1;
  let depth = 0;
  let i = local;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      const close = text.indexOf(ch, i + 1);
      i = close < 0 ? text.length : close + 1;
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && (ch === ',' || ch === ';')) break;
    else if (depth === 0 && /\s/.test(ch) && /^\s+(WHERE|RETURNING)\b/i.test(text.slice(i))) break;
    i++;
  }
  let end = i;
  while (end > local && /\s/.test(text[end - 1])) end--;
  return Math.max(1, end - local);
}

/** `now()`, `CURRENT_TIMESTAMP`, `transaction_timestamp()`, ...: the current time with no allowance. */
export function isCurrentTime(node: PgNode): boolean {
  let n = node;
  while (n?.TypeCast) n = n.TypeCast.arg;
  if (n?.FuncCall) return ['now', 'transaction_timestamp', 'statement_timestamp', 'clock_timestamp', 'localtimestamp', 'current_timestamp'].includes(functionName(n.FuncCall)) && !(n.FuncCall.args?.length);
  const svf = n?.SQLValueFunction;
  return !!svf && ['SVFOP_CURRENT_TIMESTAMP', 'SVFOP_CURRENT_TIMESTAMP_N', 'SVFOP_LOCALTIMESTAMP', 'SVFOP_LOCALTIMESTAMP_N'].includes(svf.op);
}

export function nodeLocation(node: PgNode): number | undefined {
  return firstLoc(node);
}
