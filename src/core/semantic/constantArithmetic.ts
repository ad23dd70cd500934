/**
 * Integer arithmetic on constants that PostgreSQL folds when it plans a statement (eval_const_expressions() runs the
 * IMMUTABLE operators and casts of constant arguments): `1 / 0` fails with `division by zero`, `2147483647 + 1` with
 * `integer out of range`, `32768::smallint` with `smallint out of range`, whether or not a row is ever read.
 *
 * Only what is surely folded is checked: the statement's own target list, WHERE, HAVING, GROUP BY, ORDER BY, LIMIT,
 * VALUES rows, SET and RETURNING (not a CTE PostgreSQL may leave unplanned, nor a subquery), through operators, casts
 * and function arguments, never through CASE, COALESCE, NULLIF, GREATEST / LEAST (their arguments may go unevaluated
 * once a branch is decided) nor an AND / OR with an arm of no column (a constant arm may decide it first:
 * simplify_and_arguments() stops at a false one). Integer literals are int4 when they fit, else int8 (a larger one is
 * numeric); operators of two integer types work in the wider one (int24pl, int48pl, ...). Of a numeric or double
 * precision constant (`0.0`, `2.5e3`, `0::float8`) only whether it is zero is followed: `10 / 0.0` fails too.
 */
import { containsNode, nameList, type PgNode } from '../parse/ast';
import type { SemanticError } from './errors';

type IntType = 'int2' | 'int4' | 'int8';
/** a numeric or double precision constant: only whether it is zero is followed (a divisor of zero fails) */
type Inexact = { zero: boolean | undefined; type: 'numeric' | 'float8' };
type Folded = { value: bigint; type: IntType } | Inexact | { error: string; node: PgNode } | undefined;

const RANGE: Record<IntType, [bigint, bigint]> = {
  int2: [-32768n, 32767n],
  int4: [-2147483648n, 2147483647n],
  int8: [-9223372036854775808n, 9223372036854775807n],
};
const OUT_OF_RANGE: Record<IntType, string> = { int2: 'smallint out of range', int4: 'integer out of range', int8: 'bigint out of range' };
const RANK: Record<IntType, number> = { int2: 0, int4: 1, int8: 2 };
const CAST_TYPES: Record<string, IntType> = { int2: 'int2', smallint: 'int2', int4: 'int4', integer: 'int4', int: 'int4', int8: 'int8', bigint: 'int8' };
const INEXACT_CAST_TYPES: Record<string, Inexact['type']> = { numeric: 'numeric', decimal: 'numeric', float8: 'float8', float4: 'float8', float: 'float8', real: 'float8', double: 'float8' };

/** The first constant-arithmetic error of a top-level statement, as PostgreSQL's planner meets it (none when unsure). */
export function constantArithmeticErrors(ast: PgNode | undefined): SemanticError[] {
  if (!ast) return [];
  const found: SemanticError[] = [];
  const scan = (n: unknown): boolean => {
    const err = scanExpression(n);
    if (err) found.push({ rule: 'constant-arithmetic-error', message: err.error, location: location(err.node), node: err.node });
    return !!err;
  };
  const select = (s: PgNode | undefined): boolean => {
    if (!s) return false;
    if (s.op && s.op !== 'SETOP_NONE') return select(s.larg?.SelectStmt ?? s.larg) || select(s.rarg?.SelectStmt ?? s.rarg);
    if (s.valuesLists) return (s.valuesLists as PgNode[]).some((row) => scan(row.List?.items ?? row));
    return [s.targetList, s.whereClause, s.havingClause, s.groupClause, s.sortClause, s.limitCount, s.limitOffset].some(scan);
  };
  // LIMIT and OFFSET are computed when the plan first runs (recompute_limits(): OFFSET, then LIMIT), after planning,
  // from the top of the plan down: a negative constant fails then
  const negative = (n: PgNode | undefined, clause: string): boolean => {
    const v = n ? fold(n) : undefined;
    if (!v || !('value' in v) || v.value >= 0n) return false;
    found.push({ rule: 'constant-arithmetic-error', message: `${clause} must not be negative`, location: location(n!), node: n! });
    return true;
  };
  const negativeLimit = (s: PgNode | undefined): boolean => {
    if (!s) return false;
    if (negative(s.limitOffset, 'OFFSET') || negative(s.limitCount, 'LIMIT')) return true;
    return !!s.op && s.op !== 'SETOP_NONE' && (negativeLimit(s.larg?.SelectStmt ?? s.larg) || negativeLimit(s.rarg?.SelectStmt ?? s.rarg));
  };
  if (ast.SelectStmt) {
    if (!select(ast.SelectStmt)) negativeLimit(ast.SelectStmt);
  } else if (ast.InsertStmt) {
    const ins = ast.InsertStmt;
    const oc = ins.onConflictClause?.OnConflictClause ?? ins.onConflictClause;
    if (!select(ins.selectStmt?.SelectStmt) && ![oc?.targetList, oc?.whereClause, ins.returningList].some(scan)) negativeLimit(ins.selectStmt?.SelectStmt);
  } else if (ast.UpdateStmt) [ast.UpdateStmt.targetList, ast.UpdateStmt.whereClause, ast.UpdateStmt.returningList].some(scan);
  else if (ast.DeleteStmt) [ast.DeleteStmt.whereClause, ast.DeleteStmt.returningList].some(scan);
  return found;
}

/** The first error of an expression PostgreSQL folds, walking only where it surely folds. */
function scanExpression(n: unknown): { error: string; node: PgNode } | undefined {
  if (n === null || typeof n !== 'object') return undefined;
  if (Array.isArray(n)) {
    for (const x of n) {
      const e = scanExpression(x);
      if (e) return e;
    }
    return undefined;
  }
  const node = n as PgNode;
  if (node.ResTarget) return scanExpression(node.ResTarget.val);
  if (node.SortBy) return scanExpression(node.SortBy.node);
  if (node.List) return scanExpression(node.List.items);
  const folded = fold(node);
  if (folded && 'error' in folded) return folded;
  if (node.A_Expr) {
    const e = node.A_Expr;
    if (e.kind !== 'AEXPR_OP') return undefined;
    return scanExpression(e.lexpr) ?? scanExpression(e.rexpr);
  }
  if (node.TypeCast) return scanExpression(node.TypeCast.arg);
  // a function's arguments are folded before the function (simplify_function); an aggregate's too
  if (node.FuncCall) return node.FuncCall.over ? undefined : scanExpression(node.FuncCall.args);
  if (node.BoolExpr) {
    const args: PgNode[] = node.BoolExpr.args ?? [];
    return args.every((a) => containsNode(a, 'ColumnRef')) ? scanExpression(args) : undefined;
  }
  if (node.NullTest) return scanExpression(node.NullTest.arg);
  return undefined;
}

/** Whether an expression of constants is zero, as PostgreSQL folds it (`0`, `0.0`, `0::float8`, `1 - 1`). */
export function isConstantZero(node: PgNode | undefined): boolean {
  const v = fold(node);
  return !!v && ('value' in v ? v.value === 0n : 'zero' in v && v.zero === true);
}

/** Integer arithmetic of literals, as PostgreSQL's int2 / int4 / int8 operators and casts compute it. */
function fold(node: PgNode | undefined, depth = 0): Folded {
  if (!node || depth > 64) return undefined;
  const c = node.A_Const;
  if (c) {
    if (c.ival !== undefined) return int(BigInt(c.ival.ival ?? 0));
    const f: string | undefined = c.fval?.fval;
    if (f === undefined) return undefined;
    // an integer literal beyond int4 is int8 (make_const), beyond int8 numeric; one with a point or an exponent numeric
    if (/^-?\d+$/.test(f)) {
      const v = BigInt(f);
      return v >= RANGE.int8[0] && v <= RANGE.int8[1] ? { value: v, type: 'int8' } : { zero: false, type: 'numeric' };
    }
    return /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(f) ? { zero: !/[1-9]/.test(f.replace(/e.*$/i, '')), type: 'numeric' } : undefined;
  }
  const cast = node.TypeCast;
  if (cast) {
    const names = nameList(cast.typeName?.names);
    const name = cast.typeName?.arrayBounds?.length ? '' : (names[names.length - 1]?.toLowerCase() ?? '');
    // (own properties only: a type named `constructor` is no key of these tables)
    const to = Object.hasOwn(CAST_TYPES, name) ? CAST_TYPES[name] : undefined;
    const inexact = Object.hasOwn(INEXACT_CAST_TYPES, name) ? INEXACT_CAST_TYPES[name] : undefined;
    if (!to && !inexact) return undefined;
    const v = fold(cast.arg, depth + 1);
    if (!v || 'error' in v) return v;
    if (inexact) return { zero: 'value' in v ? v.value === 0n : v.zero, type: inexact === 'float8' || v.type === 'float8' ? 'float8' : inexact };
    // (numeric to an integer type rounds: not followed)
    return 'value' in v && to ? inRange(v.value, to, node) : undefined;
  }
  const e = node.A_Expr;
  if (!e || e.kind !== 'AEXPR_OP') return undefined;
  const op = nameList(e.name).join('');
  if (!['+', '-', '*', '/', '%'].includes(op)) return undefined;
  const r = fold(e.rexpr, depth + 1);
  if (!e.lexpr) {
    // unary minus and plus
    if (!r || 'error' in r || (op !== '-' && op !== '+')) return r && 'error' in r ? r : undefined;
    if (!('value' in r)) return r;
    return op === '+' ? r : inRange(-r.value, r.type, node);
  }
  const l = fold(e.lexpr, depth + 1);
  if (l && 'error' in l) return l;
  if (r && 'error' in r) return r;
  if (!l || !r) return undefined;
  if (!('value' in l) || !('value' in r)) return inexact(op, l, r, node);
  const type = RANK[l.type] >= RANK[r.type] ? l.type : r.type;
  switch (op) {
    case '+':
      return inRange(l.value + r.value, type, node);
    case '-':
      return inRange(l.value - r.value, type, node);
    case '*':
      return inRange(l.value * r.value, type, node);
    default:
      if (r.value === 0n) return { error: 'division by zero', node };
      // (BigInt division truncates toward zero and the remainder takes the dividend's sign, as C's do)
      return inRange(op === '/' ? l.value / r.value : l.value % r.value, type, node);
  }
}

/**
 * An operator with a numeric or double precision constant: the other side is converted to it (numeric_div,
 * float8div), and a divisor of zero fails (`10 / 0.0`, `1 / 0::float8`). `%` exists for numeric only (numeric_mod).
 */
function inexact(op: string, l: Exclude<Folded, undefined | { error: string }>, r: Exclude<Folded, undefined | { error: string }>, node: PgNode): Folded {
  const type = l.type === 'float8' || r.type === 'float8' ? 'float8' : 'numeric';
  if (op === '%' && type === 'float8') return undefined;
  const rZero = 'value' in r ? r.value === 0n : r.zero;
  if ((op === '/' || op === '%') && rZero) return { error: 'division by zero', node };
  return { zero: undefined, type };
}

function int(v: bigint): Folded {
  return v >= RANGE.int4[0] && v <= RANGE.int4[1] ? { value: v, type: 'int4' } : { value: v, type: 'int8' };
}

function inRange(v: bigint, type: IntType, node: PgNode): Folded {
  const [lo, hi] = RANGE[type];
  return v < lo || v > hi ? { error: OUT_OF_RANGE[type], node } : { value: v, type };
}

function location(node: PgNode): number {
  const inner = node.A_Expr ?? node.TypeCast ?? node.A_Const;
  return typeof inner?.location === 'number' ? inner.location : -1;
}
