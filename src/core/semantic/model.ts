/**
 * The resolved query model: every query level of a statement (the SELECT itself, FROM subqueries, sublinks,
 * CTEs, set-operation leaves), the relations each reads, the type and origin of every output column, and the
 * equalities and constant filters of its restrictions. Built by the semantic layer's one pass
 * (./resolver.ts); the Citus predictors (planner/predict.ts, planner/dml.ts) read it.
 */
import type { PgNode } from '../parse/ast';
import type { TableModel } from '../schema/model';
import type { TypeId } from './catalog';

/** One occurrence of a base relation in the query (a table can occur several times). */
export interface RelOcc {
  id: number;
  table: TableModel;
  alias: string;
  /** byte location of the relation name in the statement */
  location: number;
  level: QueryLevel;
}

/** Where a value comes from, followed through subqueries and CTEs (the constants of a CTE PostgreSQL does not inline pin nothing: Resolver.constantsOfCtesNotInlined). */
export type Origin =
  | { kind: 'column'; rel: RelOcc; column: string }
  | { kind: 'const' }
  /**
   * a column of a VALUES or a function in FROM; `level`: the query level whose FROM holds it (each column its own
   * object); `constant`: a one-row VALUES' constant in that column
   */
  | { kind: 'values'; level?: QueryLevel; constant?: PgNode }
  /** `constant`: a scalar IMMUTABLE built-in function of constants, which PostgreSQL pulls up as its value (pull_up_constant_function) */
  | { kind: 'function'; level?: QueryLevel; constant?: PgNode }
  /** `level`: for an expression column of a FROM subquery, the level whose FROM holds the subquery (its Var is there) */
  /** `coalesced`: a FULL JOIN's merged USING column, COALESCE of these (PostgreSQL pins both by a constant on it) */
  | { kind: 'expr'; node: PgNode; level?: QueryLevel; coalesced?: Origin[] }
  | { kind: 'unknown' };

export interface CteDef {
  name: string;
  query: PgNode; // the CTE's statement node (SelectStmt / InsertStmt / ...)
  materialized: 'default' | 'always' | 'never';
  recursive: boolean;
  /** the columns its SEARCH and CYCLE clauses add (sequence, cycle mark, path) */
  addedColumns?: string[];
  refCount: number;
  level?: QueryLevel;
  /** where the CTE list lives: the INSERT or a SELECT level */
  owner: 'insert' | 'select';
  location: number;
  /** the column names written after the CTE's name (`WITH c(a, b) AS ...`) */
  columnNames?: string[];
  /** output columns of a data-modifying CTE (its RETURNING list) */
  returning?: Target[];
}

export type FromItem =
  | { kind: 'rel'; alias: string; rel: RelOcc; /** `FROM t AS x (a, b)`: the first columns' new names */ colnames?: string[] }
  | { kind: 'subquery'; alias: string; level: QueryLevel; colnames: string[]; lateral: boolean }
  | {
      kind: 'function';
      alias: string;
      colnames: string[];
      immutable: boolean;
      location: number;
      name: string;
      types?: TypeId[];
      /** a function Citus wraps into a subquery in a join (WrapFunctionsInSubqueries): not LATERAL (written, or by a
       *  reference to an earlier FROM item), not WITH ORDINALITY, not XMLTABLE / JSON_TABLE */
      wrappable?: boolean;
      /** PostgreSQL pulls it up as a constant (pull_up_constant_function): its column's origin carries the call */
      constant?: boolean;
    }
  | { kind: 'values'; alias: string; colnames: string[]; rows: number; immutable: boolean; volatile?: boolean; location: number; types?: TypeId[]; constants?: boolean[] }
  | { kind: 'cte'; alias: string; cte: CteDef; location: number }
  | { kind: 'unknown'; alias: string; name: string; location: number };

export interface Target {
  name: string;
  expr: PgNode | undefined;
  location: number;
  /** the output column's type (NO_TYPE when the model cannot tell) */
  type: TypeId;
  /** where its value comes from (set as the level is resolved) */
  origin: Origin;
}

export interface OuterJoin {
  type: 'LEFT' | 'RIGHT' | 'FULL';
  /** items on the preserved (outer) side and on the nullable side; for FULL, both are "outer" */
  left: FromItem[];
  right: FromItem[];
  location: number;
}

export type LevelRole = 'select' | 'from' | 'sublink' | 'cte' | 'setop';

export interface QueryLevel {
  select: PgNode; // SelectStmt fields
  role: LevelRole;
  parent?: QueryLevel;
  items: FromItem[];
  rels: RelOcc[];
  children: QueryLevel[];
  targets: Target[];
  outerJoins: OuterJoin[];
  ctes: Map<string, CteDef>;
  /** references a column of an enclosing query level */
  correlated: boolean;
  /**
   * set operation: `op` the top operation, the leaf levels (in order), and `allUnion` whether every operation of the
   * tree is a UNION (nested ones included)
   */
  setOp?: { op: 'UNION' | 'INTERSECT' | 'EXCEPT'; all: boolean; leaves: QueryLevel[]; allUnion: boolean };
  /** a LATERAL FROM subquery (it sees the FROM items before it) */
  lateral?: boolean;
  /** the join kind of the sublink that holds this level, and the expression it is tested against */
  sublink?: { type: string; testExpr?: PgNode };
  /**
   * Its target list may return sets: a set-returning function, or a function the model does not know (the query's
   * hasTargetSRFs, which keeps PostgreSQL from proving its rows distinct: planner/joinRemoval.ts).
   */
  targetSrf?: boolean;
}

export interface Equality {
  a: Origin;
  b: Origin;
  level: QueryLevel;
  /** from an outer join's ON or USING (no equivalence class of its query block) */
  outer?: boolean;
}

/** One column of an UPDATE's SET list (QueryModel.setTargets). */
export interface SetTarget {
  column: string;
  /** `SET (a, b) = (SELECT ..)`: which such sub-SELECT of the statement (1-based) and which of its columns */
  group?: number;
  position?: number;
  /** the type that column of the sub-SELECT yields (NO_TYPE when the model cannot tell) */
  source?: TypeId;
  /** `SET a[1] = ..`, `SET c.f = ..` */
  indirection: boolean;
  /**
   * The volatility of the assignment's conversion to the column's type (a `timestamp` value into a `timestamptz`
   * column: STABLE); absent when there is none or the model cannot tell.
   */
  conversion?: 'i' | 's' | 'v';
}

export interface QueryModel {
  root: QueryLevel;
  levels: QueryLevel[];
  rels: RelOcc[];
  equalities: Equality[];
  /**
   * `origin = constant` restrictions (for router pruning). `outer`: from the ON clause of an outer join, where it does
   * not prune the join's relations (see planner/recursive.ts), except (`nullable`) a relation of the join's nullable
   * side (a LEFT JOIN's right side) by a constant on its own column: PostgreSQL pushes that qual down to the
   * relation's scan, and Citus prunes it by it
   */
  constFilters: { origin: Origin; level: QueryLevel; outer?: boolean; nullable?: boolean }[];
  unknownTables: { name: string; location: number }[];
  /** tables modified by DML CTEs (WITH d AS (DELETE ... RETURNING *)) */
  dmlTables: TableModel[];
  insertCtes: Map<string, CteDef>;
  /**
   * Where an expression of the statement gets its value: a column reference as the resolver bound it (through
   * subqueries, CTEs and joins, with PostgreSQL's scoping), a constant, or an expression. The predictors ask this
   * instead of resolving names again.
   */
  originOf(expr: PgNode): Origin;
  /**
   * The volatility of what a FuncCall, A_Expr (its operator) or TypeCast (its conversion) fields object resolved to
   * (`i`, `s`, `v`); undefined when the resolver did not resolve it to a built-in.
   */
  volatilityOf(fields: PgNode): 'i' | 's' | 'v' | undefined;
  /** Whether the function a FuncCall fields object resolved to returns a set; undefined when it did not resolve. */
  returnsSetOf?(fields: PgNode): boolean | undefined;
  /**
   * The same after PostgreSQL's planner inlines SQL-language functions (inline_function): `'x' || n` is textanycat,
   * STABLE, and inlined `'x' || n::text`, IMMUTABLE for an int. Optional: a model without it has none to tell.
   */
  inlinedVolatilityOf?(fields: PgNode): 'i' | 's' | 'v' | undefined;
  /**
   * The SET list of a top-level UPDATE, as written: each assigned column with, for `(a, b) = (SELECT ..)`, its
   * multi-assignment sub-SELECT (1-based, in order) and position in it, and the type that sub-SELECT's column yields.
   * Citus deparses these for the shards (planner/multi-assign.ts).
   */
  setTargets?: SetTarget[];
  /**
   * What the planners derive from this model alone (src/core/planner/recursive.ts), kept with it so that every
   * planner of the statement shares it: opaque here.
   */
  plannerCache?: unknown;
}

/**
 * inline_cte(): whether PostgreSQL inlines a CTE as a subquery where it is read: a SELECT, not recursive, not
 * MATERIALIZED, read once (or NOT MATERIALIZED), calling no volatile function (`volatile`, which the caller knows).
 */
export function cteInlinable(cte: { materialized: string; refCount: number; query: PgNode; recursive: boolean }, volatile: boolean): boolean {
  if (cte.recursive) return false;
  if (!cte.query?.SelectStmt) return false;
  if (cte.materialized === 'always') return false;
  if (cte.materialized === 'default' && cte.refCount > 1) return false;
  return !volatile;
}
