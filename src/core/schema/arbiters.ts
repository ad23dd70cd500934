/**
 * ON CONFLICT's unique index inference, as PostgreSQL 15 makes it (infer_arbiter_indexes, optimizer/util/plancat.c):
 * whether the target has a unique index the inference clause `ON CONFLICT (elements) [WHERE predicate]` names.
 * Pure: a table model and the clause's parse tree in, a verdict out.
 *
 * An index is inferred when
 * - its plain key columns, as a set, are the clause's plain columns (`(k, k)` names `(k)`; `((k))` is a column too);
 * - its expressions are among the clause's expressions, and the clause's expressions among its own;
 * - a collation or operator class the clause names matches its column's (not modelled: `unknown`);
 * - its predicate, when it is partial, is implied by the clause's WHERE (none: not inferred; one: `unknown`).
 * INCLUDE columns are not key columns. Exclusion constraints are never inferred from columns (only by name).
 */
import { nameList, walk } from '../parse/ast';
import type { PgNode } from '../parse/libpg';
import { isKnownBuiltinType } from './types';
import { columnKeys, constraintNamed, deferrableKey } from './keyNames';
import { isCitusTable, type TableModel, type UniqueIndexShape } from './model';

export type ArbiterVerdict = 'inferred' | 'none' | 'unknown';

/**
 * What an expression of an index or of an inference clause compares by, with what PostgreSQL may make equal left out:
 * casts and collations (an implicit cast adds one), constants' values and types (`'1'` becomes an integer), columns'
 * names (a view or an alias renames them), a function's schema. Two expressions of different signatures are surely
 * not equal (infer_arbiter_indexes compares the transformed trees with equal()); of the same signature, they may be.
 */
export function expressionSignature(node: PgNode): string {
  const strip = (n: unknown): unknown => {
    if (Array.isArray(n)) return n.map(strip);
    if (!n || typeof n !== 'object') return n;
    const o = n as PgNode;
    if (o.TypeCast) return strip(o.TypeCast.arg);
    if (o.CollateClause) return strip(o.CollateClause.arg);
    if (o.A_Const) return { A_Const: true };
    // (a column by position only: through a view, or an INSERT's alias, the clause names it otherwise)
    if (o.ColumnRef) return { ColumnRef: true };
    if (o.FuncCall) return { FuncCall: { ...(strip({ ...o.FuncCall, location: undefined }) as object), funcname: nameList(o.FuncCall.funcname).pop() } };
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) if (k !== 'location' && v !== undefined) out[k] = strip(v);
    return out;
  };
  return JSON.stringify(strip(node));
}

/**
 * The columns of a predicate that is an AND of comparisons, each of one column with constants (`n > 0 AND v = 'a'`):
 * one of them the WHERE of ON CONFLICT does not mention cannot be implied by it (predicate_implied_by proves each
 * conjunct from clauses on its column). Undefined for any other predicate.
 */
export function singleColumnConjuncts(where: PgNode): string[] | undefined {
  const conjuncts: PgNode[] = where.BoolExpr?.boolop === 'AND_EXPR' ? where.BoolExpr.args ?? [] : [where];
  const columns: string[] = [];
  for (const c of conjuncts) {
    const e = c.A_Expr;
    if (!e || e.kind !== 'AEXPR_OP') return undefined;
    const sides = [e.lexpr, e.rexpr].map((x: PgNode | undefined) => (x?.TypeCast ? x.TypeCast.arg : x));
    const refs = sides.filter((x) => x?.ColumnRef);
    if (refs.length !== 1 || !sides.some((x) => x?.A_Const && !x.A_Const.isnull)) return undefined;
    const name = nameList(refs[0].ColumnRef.fields).pop();
    if (!name) return undefined;
    columns.push(name);
  }
  return columns;
}

/** A boolean or NULL constant, or a call, somewhere in a WHERE: it may be false whatever the columns (false implies all). */
function mayBeFalse(where: PgNode): boolean {
  let found = false;
  walk(where, (type, f) => {
    if (type === 'FuncCall' || type === 'SubLink' || (type === 'A_Const' && (f.boolval !== undefined || f.isnull))) found = true;
    return found ? false : undefined;
  });
  return found;
}

/** The columns an expression mentions (its column references' last names). */
function mentionedColumns(node: PgNode | undefined): Set<string> {
  const out = new Set<string>();
  walk(node, (type, f) => {
    const name = type === 'ColumnRef' ? nameList(f.fields).pop() : undefined;
    if (name) out.add(name);
  });
  return out;
}

interface Element {
  /** a plain column (a name, or an expression that is a bare column reference) */
  column?: string;
  /** an expression's signature (expressionSignature) */
  signature?: string;
  /** names a collation or an operator class */
  qualified: boolean;
  /** the collation it names */
  collation?: string;
}

/** The inference clause's elements (IndexElem nodes), undefined when an element is not understood. */
function elements(indexElems: PgNode[]): Element[] | undefined {
  const out: Element[] = [];
  for (const e of indexElems) {
    const el = e.IndexElem ?? e;
    const qualified = !!(el.collation?.length || el.opclass?.length);
    const collation = el.collation?.length ? nameList(el.collation).pop() : undefined;
    if (el.name) {
      out.push({ column: el.name, qualified, collation });
      continue;
    }
    const ref = el.expr?.ColumnRef;
    if (ref) {
      // `(k)` and `(t.k)` are PostgreSQL Vars: plain columns (a whole-row `t.*` is refused first)
      const last = ref.fields?.[ref.fields.length - 1];
      const name = last?.String?.sval;
      if (!name) return undefined;
      out.push({ column: name, qualified, collation });
      continue;
    }
    if (!el.expr) return undefined;
    out.push({ qualified, signature: expressionSignature(el.expr) });
  }
  return out;
}

const sameSet = (a: readonly string[], b: ReadonlySet<string>): boolean => {
  const s = new Set(a);
  return s.size === b.size && [...s].every((c) => b.has(c));
};

/** One unique index against the clause: inferred, surely not, or what the model does not compare. */
function indexVerdict(index: UniqueIndexShape, els: Element[], attrs: ReadonlySet<string>, where: PgNode | undefined): ArbiterVerdict {
  if (!sameSet(index.columns, attrs)) return 'none';
  const exprs = els.filter((e) => e.column === undefined);
  const hasWhere = !!where;
  let verdict: ArbiterVerdict = 'inferred';
  if (index.expressions) {
    // every index expression must be named: with no expression in the clause, none is
    if (exprs.length === 0) return 'none';
    // each of the clause's expressions is one of the index's and each of the index's one of the clause's: one whose
    // signature the other side lacks is surely not (`ON CONFLICT (k, upper(v))` for an index on (k, lower(v)))
    const keys = index.expressionKeys;
    if (keys && exprs.every((e) => !e.qualified && e.signature !== undefined)) {
      const mine = new Set(exprs.map((e) => e.signature as string));
      if ([...mine].some((k) => !keys.includes(k)) || keys.some((k) => !mine.has(k))) return 'none';
    }
    verdict = 'unknown';
  } else if (exprs.some((e) => !e.qualified)) {
    // an expression element must be one of the index's (PostgreSQL lets one with a collation or opclass through)
    return 'none';
  } else if (exprs.length) verdict = 'unknown';
  if (index.partial) {
    if (!hasWhere) return 'none';
    // a conjunct of the index's predicate on a column the clause's WHERE does not mention is not implied by it
    // (`ON CONFLICT (k) WHERE v = 'a'` for an index WHERE n > 0); a WHERE of constants only may be false: not followed
    const mentioned = mentionedColumns(where);
    if (index.predicateColumns && mentioned.size > 0 && !mayBeFalse(where) && index.predicateColumns.some((c) => !mentioned.has(c))) return 'none';
    verdict = 'unknown';
  }
  if (els.some((e) => e.qualified)) verdict = 'unknown';
  return verdict;
}

/** The types whose values have a collation (the others' index columns have none). */
const COLLATABLE = new Set(['text', 'character varying', 'character', 'name', 'citext']);

function collationNeverMatches(target: TableModel, el: Element): boolean {
  if (el.collation === undefined || el.column === undefined || target.columnsIncomplete) return false;
  const col = target.columns.find((c) => c.name === el.column);
  return !!col && !col.domain && !col.enumType && isKnownBuiltinType(col.type) && !COLLATABLE.has(col.type);
}

/**
 * Whether `target` has a unique index that `infer` (an InferClause) names: `none` is PostgreSQL's "there is no
 * unique or exclusion constraint matching the ON CONFLICT specification". `unknown` for a named constraint, for what
 * the model does not compare (collations, operator classes, expressions, partial predicates), and for a table whose
 * columns the model does not know.
 */
export function inferArbiter(target: TableModel, infer: PgNode | undefined): ArbiterVerdict {
  const clause = infer?.InferClause ?? infer;
  // (keys added out of the model's sight, by a DO block: it cannot say none matches)
  if (!clause || clause.conname || !clause.indexElems?.length || !target.columns.length || target.keysIncomplete) return 'unknown';
  const els = elements(clause.indexElems);
  if (!els) return 'unknown';
  // an element that names a collation for a column of a type without collations matches no index (infer_arbiter_indexes
  // compares the collation's OID with the index column's, which has none; checked on Citus 13.2.2, probe file
  // on-conflict-arbiters.sql). (For a text column the index's collation may be any: not followed.)
  if (els.some((e) => collationNeverMatches(target, e))) return 'none';
  const attrs = new Set(els.flatMap((e) => (e.column === undefined ? [] : [e.column])));
  const indexes: UniqueIndexShape[] = [
    ...(target.primaryKey ? [{ columns: target.primaryKey }] : []),
    ...target.uniqueKeys.map((columns) => ({ columns })),
    ...(target.otherUniqueIndexes ?? []),
  ];
  let verdict: ArbiterVerdict = 'none';
  for (const index of indexes) {
    const v = indexVerdict(index, els, attrs, clause.whereClause);
    if (v === 'inferred') return v;
    if (v === 'unknown') verdict = v;
  }
  return verdict;
}

/**
 * `ON CONFLICT ON CONSTRAINT name`, for a table whose constraint names the model knows all of: PostgreSQL's error when
 * the table has no constraint of that name (parse analysis: `constraint "x" for table "t" does not exist`), and, on a
 * plain table, when the constraint has no index (a CHECK, a foreign key) or is an exclusion constraint DO UPDATE
 * cannot use (infer_arbiter_indexes; Citus plans its tables otherwise, and a worker names the shard's constraint).
 */
export function namedArbiterError(target: TableModel, infer: PgNode | undefined, action: string | undefined): { message: string; summary: string } | undefined {
  const clause = infer?.InferClause ?? infer;
  const name: string | undefined = clause?.conname;
  if (!name) return undefined;
  const kind = constraintNamed(target, name);
  if (kind === 'none') return { message: `constraint "${name}" for table "${target.name}" does not exist`, summary: 'no such constraint' };
  if (isCitusTable(target)) return undefined;
  if (kind === 'check' || kind === 'fkey') return { message: 'constraint in ON CONFLICT clause has no associated index', summary: `${kind === 'check' ? 'a CHECK' : 'a foreign key'} is no arbiter` };
  if (kind === 'exclusion' && action === 'ONCONFLICT_UPDATE') return { message: 'ON CONFLICT DO UPDATE not supported with exclusion constraints', summary: 'DO UPDATE on an exclusion constraint' };
  return undefined;
}

/**
 * Whether a DEFERRABLE constraint is among the arbiters (ExecCheckIndexConstraints refuses it for every row: `ON
 * CONFLICT does not support deferrable unique constraints/exclusion constraints as arbiters`): one the inference
 * clause infers, or, without a clause, any key of the table (DO NOTHING then checks them all).
 */
export function deferrableArbiter(target: TableModel, infer: PgNode | undefined): boolean {
  const clause = infer?.InferClause ?? infer;
  if (clause?.conname || target.keysUncertain) return false;
  const deferred = columnKeys(target).filter((k) => deferrableKey(target, k.columns, k.primary));
  if (!deferred.length) return false;
  if (!clause) return true;
  const els = clause.indexElems?.length ? elements(clause.indexElems) : undefined;
  if (!els || els.some((e) => e.column === undefined || e.qualified) || clause.whereClause) return false;
  const attrs = new Set(els.map((e) => e.column as string));
  return deferred.some((k) => sameSet(k.columns, attrs));
}

/**
 * INSERT .. ON CONFLICT into a columnar table (Citus' columnar access method): PostgreSQL inserts a row that does not
 * conflict speculatively, which columnar does not implement (`columnar_tuple_insert_speculative not implemented`), and
 * locks a row that does before DO UPDATE changes it (`columnar_tuple_lock not implemented`). So DO UPDATE fails for
 * every row ('every-row'), DO NOTHING for every row that does not conflict ('new-rows'); DO NOTHING with no conflict
 * target on a table without a unique index inserts plainly (undefined). Checked on Citus 13.2.2, plain and distributed.
 */
export function columnarConflictFailure(target: TableModel, onConflict: PgNode | undefined): 'every-row' | 'new-rows' | undefined {
  const conflict = onConflict?.OnConflictClause ?? onConflict;
  if (!conflict || target.accessMethod !== 'columnar') return undefined;
  if (conflict.action === 'ONCONFLICT_UPDATE') return 'every-row';
  const hasKeys = !!target.primaryKey?.length || target.uniqueKeys.length > 0 || !!target.otherUniqueIndexes?.length;
  return conflict.infer || (!target.keysIncomplete && hasKeys) ? 'new-rows' : undefined;
}
