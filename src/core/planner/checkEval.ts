/**
 * Evaluates a table's CHECK constraint on a row of constants (an INSERT .. VALUES row), for the error PostgreSQL
 * raises whatever the data: `new row for relation .. violates check constraint ..`. A CHECK fails only when its
 * expression is false (NULL passes).
 *
 * A false error costs more than a missed one: the evaluator knows a small, exact part of PostgreSQL's expressions and
 * answers "not known" for everything else. Numbers (integers exactly, decimals of up to 15 digits), text for equality
 * only (the order of text depends on the database's collation), booleans and NULL; comparisons, `+ - *`, IN, BETWEEN,
 * IS [NOT] NULL, IS [NOT] TRUE / FALSE / UNKNOWN, AND / OR / NOT, `length()` / `char_length()` of text and `abs()`. A column's value is read as its
 * type reads it: a quoted '5' in an integer column is 5, a decimal in an integer column (rounded by PostgreSQL) is not
 * known, and so is every type other than integers, numeric, double precision, text, varchar and boolean.
 */
import { nameList, stripCast, type PgNode } from '../parse/ast';
import { typeNameOf } from '../schema/types';
import { parsePgBool } from '../schema/settings';

export type CheckValue = { kind: 'num'; v: number } | { kind: 'text'; v: string } | { kind: 'bool'; v: boolean } | null;
/** undefined: not known */
type Known = CheckValue | undefined;

const INT_TYPES = new Set(['smallint', 'integer', 'bigint']);
const INT_LIMITS: Record<string, number> = { smallint: 32767, integer: 2147483647, bigint: Number.MAX_SAFE_INTEGER };
const NUM_TYPES = new Set(['smallint', 'integer', 'bigint', 'numeric', 'double precision']);
const TEXT_TYPES = new Set(['text', 'character varying']);
const EXACT = /^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/;

/** A constant as the column of `type` reads it; undefined when not known. */
export function columnValue(node: PgNode | undefined, type: string): Known {
  const n = stripCast(node);
  const c = n?.A_Const;
  // (a cast on the value: only when it is to the column's own kind)
  if (node?.TypeCast) {
    const to = typeNameOf(node.TypeCast.typeName);
    if (!(NUM_TYPES.has(to) && NUM_TYPES.has(type)) && !(TEXT_TYPES.has(to) && TEXT_TYPES.has(type)) && !(to === 'boolean' && type === 'boolean')) return undefined;
  }
  if (!c) {
    // an expression of constants (`4 + 2`), evaluated as the CHECK's expressions are
    const v = node?.A_Expr || node?.FuncCall ? value(node, () => undefined, 0) : undefined;
    if (!v || v.kind !== 'num' || !NUM_TYPES.has(type)) return v === null ? null : undefined;
    return INT_TYPES.has(type) && (!Number.isInteger(v.v) || Math.abs(v.v) > INT_LIMITS[type]) ? undefined : v;
  }
  if (c.isnull) return null;
  const text = c.ival !== undefined ? String(c.ival.ival ?? 0) : c.fval !== undefined ? String(c.fval.fval ?? '') : c.sval !== undefined ? (c.sval.sval ?? '') : undefined;
  if (NUM_TYPES.has(type)) {
    if (text === undefined || !EXACT.test(text) || text.replace(/[^0-9]/g, '').replace(/^0+/, '').length > 15) return undefined;
    const v = Number(text);
    // an integer column rounds a decimal (assignment cast), and refuses a value out of its range: not followed
    if (INT_TYPES.has(type) && (!Number.isInteger(v) || Math.abs(v) > INT_LIMITS[type])) return undefined;
    return { kind: 'num', v };
  }
  if (TEXT_TYPES.has(type)) return c.sval !== undefined ? { kind: 'text', v: c.sval.sval ?? '' } : undefined;
  if (type === 'boolean') {
    if (c.boolval !== undefined) return { kind: 'bool', v: !!c.boolval.boolval };
    const b = c.sval !== undefined ? parsePgBool(c.sval.sval ?? '') : undefined;
    return b === undefined ? undefined : { kind: 'bool', v: b };
  }
  return undefined;
}

/** A constant written as text (a column default as the model keeps it) as the column of `type` reads it; undefined when not known. */
export function typedValue(text: string | undefined, type: string): Known {
  return text === undefined ? undefined : columnValue({ A_Const: { sval: { sval: text } } }, type);
}

/**
 * A CHECK expression's value with the row's columns: true / false / null, or undefined when not known. `column` gives
 * a column's value (undefined: not known; a name that is not a column of the row: not known).
 */
export function evalCheck(expr: PgNode | undefined, column: (name: string) => Known): boolean | null | undefined {
  const v = value(expr, column, 0);
  if (v === undefined) return undefined;
  if (v === null) return null;
  return v.kind === 'bool' ? v.v : undefined;
}

function value(e: PgNode | undefined, column: (name: string) => Known, depth: number): Known {
  if (!e || depth > 32) return undefined;
  if (e.ColumnRef) {
    const parts = nameList(e.ColumnRef.fields);
    return parts.length === 1 ? column(parts[0]) : undefined;
  }
  if (e.A_Const) {
    const c = e.A_Const;
    if (c.isnull) return null;
    if (c.ival !== undefined) return { kind: 'num', v: c.ival.ival ?? 0 };
    if (c.fval !== undefined) {
      const t = String(c.fval.fval ?? '');
      return EXACT.test(t) && t.replace(/[^0-9]/g, '').replace(/^0+/, '').length <= 15 ? { kind: 'num', v: Number(t) } : undefined;
    }
    if (c.boolval !== undefined) return { kind: 'bool', v: !!c.boolval.boolval };
    if (c.sval !== undefined) return { kind: 'text', v: c.sval.sval ?? '' };
    return undefined;
  }
  if (e.TypeCast) {
    const to = typeNameOf(e.TypeCast.typeName);
    const inner = value(e.TypeCast.arg, column, depth + 1);
    if (inner === undefined || inner === null) return inner;
    if (NUM_TYPES.has(to)) {
      if (inner.kind === 'num') return INT_TYPES.has(to) && !Number.isInteger(inner.v) ? undefined : inner;
      return inner.kind === 'text' && EXACT.test(inner.v) && !(INT_TYPES.has(to) && !Number.isInteger(Number(inner.v))) ? { kind: 'num', v: Number(inner.v) } : undefined;
    }
    if (TEXT_TYPES.has(to)) return inner.kind === 'text' ? inner : undefined;
    if (to === 'boolean') return inner.kind === 'bool' ? inner : inner.kind === 'text' && parsePgBool(inner.v) !== undefined ? { kind: 'bool', v: parsePgBool(inner.v)! } : undefined;
    return undefined;
  }
  if (e.BoolExpr) {
    const args: PgNode[] = e.BoolExpr.args ?? [];
    const vals = args.map((a) => value(a, column, depth + 1));
    if (vals.some((x) => x !== undefined && x !== null && x.kind !== 'bool')) return undefined;
    const bools = vals as (Extract<CheckValue, { kind: 'bool' }> | null | undefined)[];
    switch (e.BoolExpr.boolop) {
      case 'NOT_EXPR':
        return bools[0] === undefined ? undefined : bools[0] === null ? null : { kind: 'bool', v: !bools[0].v };
      case 'AND_EXPR':
        if (bools.some((b) => b && !b.v)) return { kind: 'bool', v: false };
        if (bools.some((b) => b === undefined)) return undefined;
        return bools.some((b) => b === null) ? null : { kind: 'bool', v: true };
      case 'OR_EXPR':
        if (bools.some((b) => b && b.v)) return { kind: 'bool', v: true };
        if (bools.some((b) => b === undefined)) return undefined;
        return bools.some((b) => b === null) ? null : { kind: 'bool', v: false };
      default:
        return undefined;
    }
  }
  if (e.BooleanTest) {
    // IS [NOT] TRUE / FALSE / UNKNOWN: never NULL
    const arg = value(e.BooleanTest.arg, column, depth + 1);
    if (arg === undefined || (arg !== null && arg.kind !== 'bool')) return undefined;
    const b = arg === null ? null : arg.v;
    switch (e.BooleanTest.booltesttype) {
      case 'IS_TRUE':
        return { kind: 'bool', v: b === true };
      case 'IS_NOT_TRUE':
        return { kind: 'bool', v: b !== true };
      case 'IS_FALSE':
        return { kind: 'bool', v: b === false };
      case 'IS_NOT_FALSE':
        return { kind: 'bool', v: b !== false };
      case 'IS_UNKNOWN':
        return { kind: 'bool', v: b === null };
      case 'IS_NOT_UNKNOWN':
        return { kind: 'bool', v: b !== null };
      default:
        return undefined;
    }
  }
  if (e.NullTest) {
    const arg = value(e.NullTest.arg, column, depth + 1);
    if (arg === undefined) return undefined;
    const isNull = arg === null;
    return { kind: 'bool', v: e.NullTest.nulltesttype === 'IS_NULL' ? isNull : !isNull };
  }
  if (e.FuncCall) {
    const name = nameList(e.FuncCall.funcname).filter((p) => p !== 'pg_catalog').join('.');
    const args: PgNode[] = e.FuncCall.args ?? [];
    if (args.length !== 1 || e.FuncCall.agg_star || e.FuncCall.agg_distinct || e.FuncCall.over) return undefined;
    const a = value(args[0], column, depth + 1);
    if (a === undefined || a === null) return a;
    if ((name === 'length' || name === 'char_length' || name === 'character_length') && a.kind === 'text') return { kind: 'num', v: [...a.v].length };
    if (name === 'abs' && a.kind === 'num') return { kind: 'num', v: Math.abs(a.v) };
    return undefined;
  }
  const x = e.A_Expr;
  if (!x) return undefined;
  const op = nameList(x.name).join('');
  if (x.kind === 'AEXPR_OP') {
    // unary minus
    if (!x.lexpr && op === '-') {
      const r = value(x.rexpr, column, depth + 1);
      return r === undefined || r === null ? r : r.kind === 'num' ? { kind: 'num', v: -r.v } : undefined;
    }
    const l = value(x.lexpr, column, depth + 1);
    const r = value(x.rexpr, column, depth + 1);
    if (l === undefined || r === undefined) return undefined;
    if (op === '+' || op === '-' || op === '*') {
      if (l === null || r === null) return null;
      if (l.kind !== 'num' || r.kind !== 'num') return undefined;
      const v = op === '+' ? l.v + r.v : op === '-' ? l.v - r.v : l.v * r.v;
      return Number.isSafeInteger(v) || (!Number.isInteger(v) && Math.abs(v) < 1e15) ? { kind: 'num', v } : undefined;
    }
    return compare(op, l, r);
  }
  if (x.kind === 'AEXPR_IN') {
    const l = value(x.lexpr, column, depth + 1);
    const items: PgNode[] = x.rexpr?.List?.items ?? [];
    if (l === undefined || !items.length) return undefined;
    const results = items.map((i) => compare('=', l, value(i, column, depth + 1)));
    if (results.some((r) => r === undefined)) return undefined;
    const any = results.some((r) => r && r.kind === 'bool' && r.v);
    const hasNull = results.some((r) => r === null);
    const inList: Known = any ? { kind: 'bool', v: true } : hasNull ? null : { kind: 'bool', v: false };
    if (op === '=') return inList;
    if (op === '<>') return inList === null ? null : inList && inList.kind === 'bool' ? { kind: 'bool', v: !inList.v } : undefined;
    return undefined;
  }
  if (x.kind === 'AEXPR_BETWEEN' || x.kind === 'AEXPR_NOT_BETWEEN') {
    const [lo, hi] = (x.rexpr?.List?.items ?? []).map((i: PgNode) => value(i, column, depth + 1));
    const v = value(x.lexpr, column, depth + 1);
    const a = compare('>=', v, lo);
    const b = compare('<=', v, hi);
    if (a === undefined || b === undefined) return undefined;
    const both: Known = (a && a.kind === 'bool' && !a.v) || (b && b.kind === 'bool' && !b.v) ? { kind: 'bool', v: false } : a === null || b === null ? null : { kind: 'bool', v: true };
    if (x.kind === 'AEXPR_BETWEEN') return both;
    return both === null ? null : both && both.kind === 'bool' ? { kind: 'bool', v: !both.v } : undefined;
  }
  return undefined;
}

function compare(op: string, l: Known, r: Known): Known {
  if (l === undefined || r === undefined) return undefined;
  if (!['=', '<>', '!=', '<', '<=', '>', '>='].includes(op)) return undefined;
  if (l === null || r === null) return null;
  // an untyped literal takes the other side's type
  const [a, b] = l.kind === 'text' && r.kind !== 'text' ? [coerce(l, r.kind), r] : r.kind === 'text' && l.kind !== 'text' ? [l, coerce(r, l.kind)] : [l, r];
  if (!a || !b || a.kind !== b.kind) return undefined;
  if (a.kind === 'num' && b.kind === 'num') {
    const d = a.v - b.v;
    return { kind: 'bool', v: op === '=' ? d === 0 : op === '<>' || op === '!=' ? d !== 0 : op === '<' ? d < 0 : op === '<=' ? d <= 0 : op === '>' ? d > 0 : d >= 0 };
  }
  if (a.kind === 'text' && b.kind === 'text') {
    // (the order of text is the collation's)
    if (op === '=') return { kind: 'bool', v: a.v === b.v };
    if (op === '<>' || op === '!=') return { kind: 'bool', v: a.v !== b.v };
    return undefined;
  }
  if (a.kind === 'bool' && b.kind === 'bool') {
    if (op === '=') return { kind: 'bool', v: a.v === b.v };
    if (op === '<>' || op === '!=') return { kind: 'bool', v: a.v !== b.v };
  }
  return undefined;
}

function coerce(t: Extract<CheckValue, { kind: 'text' }>, kind: 'num' | 'bool'): CheckValue | undefined {
  if (kind === 'num') return EXACT.test(t.v) ? { kind: 'num', v: Number(t.v) } : undefined;
  const b = parsePgBool(t.v);
  return b === undefined ? undefined : { kind: 'bool', v: b };
}
