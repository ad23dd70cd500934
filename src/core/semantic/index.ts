/**
 * The semantic layer: PostgreSQL's parse analysis, offline, from the schema model (./resolver.ts), with the
 * built-in catalog of a real PostgreSQL (./catalog.ts). `analyzeSemantics` runs it once per statement; its
 * query model is what the Citus predictors read, and its errors are what PostgreSQL would raise before Citus
 * ever plans the statement.
 */
import { containsNode, walk, type PgNode } from '../parse/ast';
import type { ParsedStatement } from '../parse/document';
import type { SessionState } from '../schema/ddl';
import type { SchemaModel } from '../schema/model';
import type { SemanticError } from './errors';
import type { QueryLevel, QueryModel, SetTarget } from './model';
import { firstLocation, levelTargetsIncomplete, Resolver, type ResolveContext } from './resolver';
import { constantArithmeticErrors, isConstantZero } from './constantArithmetic';
import { UNIT_ADVICE } from './datetimeUnits';
import { NO_TYPE, T, builtins } from './catalog';
import { canCoerce } from './coerce';
import { literalInputProblem } from './literals';
import { typeOfTypeName } from './types';
import type { ResolveObserver } from './scope';

export type { SemanticError, SemanticRule } from './errors';
export { SEMANTIC_RULES } from './errors';
export type { CteDef, Equality, FromItem, LevelRole, Origin, OuterJoin, QueryLevel, QueryModel, RelOcc, Target } from './model';
export { cteInlinable } from './model';
export { MAX_VIEW_DEPTH, viewQueryOf, levelTargetsIncomplete, figureColname } from './resolver';
export type { ResolveObserver, ScopeBinding, ScopeItem, ScopeState } from './scope';

export interface SemanticResult {
  /** PostgreSQL's errors, in the order PostgreSQL meets them (the first is the one it raises) */
  errors: SemanticError[];
  /** the query model of an INSERT .. SELECT (its SELECT) or of a SELECT, for the predictors */
  query?: QueryModel;
  /** an UPDATE's SET list, for the DML predictor (planner/multi-assign.ts) */
  setTargets?: SetTarget[];
  /**
   * The model the resolver built over the whole statement: its volatilityOf / inlinedVolatilityOf answer for every
   * expression of it (ON CONFLICT, RETURNING, SET, a MERGE's WHEN clauses), as PostgreSQL resolved them in context.
   */
  typed?: QueryModel;
  /** expressions that fail for every row they are computed for (a unit date_trunc does not know): warnings */
  rowErrors?: RowError[];
}

/** An expression PostgreSQL cannot compute, whatever the row: it fails the statement once a row reaches it. */
export interface RowError {
  message: string;
  node: PgNode;
  location: number;
  /** what to do instead */
  advice: string;
}

const NO_ERRORS: SemanticError[] = [];

/** PL/pgSQL variables and parameters, and psql :variables (replaced by `_name` placeholders): values, not columns. */
export function statementVariables(stmt: Pick<ParsedStatement, 'variables' | 'psqlVariables'>): string[] {
  if (stmt.psqlVariables.length === 0) return stmt.variables;
  // :name becomes _name; :"name" becomes a quoted identifier of underscores (a column or table we cannot know)
  const names = stmt.psqlVariables.filter((v) => v.form !== 'literal').map((v) => (v.form === 'plain' ? `_${v.name}` : '_'.repeat(v.end - v.start - 2)));
  return names.length ? [...stmt.variables, ...names] : stmt.variables;
}

/**
 * The statement kinds PostgreSQL analyses (SELECT, INSERT, UPDATE, DELETE, MERGE); others are not checked. An
 * `observer` sees every name as it is resolved (completion and navigation, ./scope.ts).
 */
export function analyzeSemantics(stmt: Pick<ParsedStatement, 'ast' | 'parentIndex' | 'variables' | 'psqlVariables'>, model: SchemaModel, session: SessionState, variables: readonly string[] = statementVariables(stmt), observer?: ResolveObserver): SemanticResult {
  const ast = stmt.ast;
  if (!ast) return { errors: NO_ERRORS };
  const resolver = new Resolver({ model, session, variables, nested: stmt.parentIndex !== undefined, psqlLiterals: stmt.psqlVariables.some((v) => v.form === 'literal'), observer });
  // the planner's constant folding comes after parse analysis: its errors only when analysis found none (and for a
  // statement that runs where it is written, not one of a function's body)
  const errors = (): SemanticError[] => {
    const found = resolver.allErrors();
    if (found.length || stmt.parentIndex !== undefined || variables.length) return found;
    const folded = constantArithmeticErrors(ast);
    return folded.length ? folded : found;
  };
  const rows = (): { rowErrors?: RowError[] } => {
    if (!resolver.rowErrors.size && !resolver.divides) return {};
    const found = rowErrorsOf(ast, resolver.rowErrors);
    return found.length ? { rowErrors: found } : {};
  };
  if (ast.InsertStmt) {
    const { level } = resolver.insertStatement(ast.InsertStmt);
    resolver.constantsOfCtesNotInlined();
    return { errors: errors(), query: level ? resolver.qm : undefined, typed: resolver.qm, ...rows() };
  }
  if (ast.SelectStmt) {
    // SELECT INTO (CREATE TABLE AS in disguise) and plain SELECTs alike
    resolver.selectStatement(ast.SelectStmt);
    resolver.constantsOfCtesNotInlined();
    return { errors: errors(), query: resolver.qm, ...rows() };
  }
  if (ast.UpdateStmt) {
    resolver.updateStatement(ast.UpdateStmt);
    resolver.constantsOfCtesNotInlined();
    return { errors: errors(), setTargets: resolver.qm.setTargets, typed: resolver.qm, ...rows() };
  } else if (ast.DeleteStmt) resolver.deleteStatement(ast.DeleteStmt);
  else if (ast.MergeStmt) resolver.mergeStatement(ast.MergeStmt);
  else {
    // a column's DEFAULT is analysed when CREATE TABLE / ADD COLUMN runs (cookDefault)
    if (ast.CreateStmt || ast.AlterTableStmt) return { errors: columnDefaultErrors(ast, { model, session, variables }) };
    // CREATE VIEW and CREATE TABLE / MATERIALIZED VIEW .. AS analyse their query when they are created (DefineView,
    // transformCreateTableAsStmt): its errors are theirs (a view's query is not planned, so nothing is folded)
    const query = ast.ViewStmt?.query?.SelectStmt ?? ast.CreateTableAsStmt?.query?.SelectStmt;
    if (!query) return { errors: NO_ERRORS };
    const level = resolver.selectStatement(query);
    const found = resolver.allErrors();
    return { errors: found.length ? found : createdColumnsError(ast, level) };
  }
  resolver.constantsOfCtesNotInlined();
  return { errors: errors(), typed: resolver.qm, ...rows() };
}

/**
 * What the statement surely computes when a row reaches it and cannot compute: the failing calls of `failing` (units
 * date_trunc does not know), and a division of a value by a constant zero (`count(*) / 0`; one of constants alone is
 * constant-arithmetic-error's, failing when the statement is planned). Not under CASE, COALESCE, NULLIF, GREATEST or
 * LEAST, whose arguments may go unevaluated once a branch is decided.
 */
function rowErrorsOf(ast: PgNode, failing: ReadonlyMap<PgNode, string>): RowError[] {
  const out: RowError[] = [];
  walk(ast, (type, fields) => {
    if (type === 'CaseExpr' || type === 'CoalesceExpr' || type === 'MinMaxExpr' || (type === 'A_Expr' && fields.kind === 'AEXPR_NULLIF')) return false;
    const message = type === 'FuncCall' ? failing.get(fields) : undefined;
    if (message) out.push({ message, node: fields, location: typeof fields.location === 'number' ? fields.location : 0, advice: UNIT_ADVICE });
    if (type === 'A_Expr' && fields.kind === 'AEXPR_OP' && fields.lexpr && isZeroDivision(fields) && (containsNode(fields.lexpr, 'ColumnRef') || containsNode(fields.lexpr, 'FuncCall'))) {
      out.push({ message: 'division by zero', node: fields, location: firstLocation(fields.lexpr), advice: 'A constant divisor of zero is most likely a typo' });
    }
    return undefined;
  });
  return out;
}

/** `x / 0`, `x % 0` (a zero of any numeric type, as PostgreSQL folds the constant). */
function isZeroDivision(e: PgNode): boolean {
  const op: unknown = e.name?.length === 1 ? e.name[0]?.String?.sval : undefined;
  return (op === '/' || op === '%') && isConstantZero(e.rexpr);
}

/**
 * Expressions of a modification (SET values, ON CONFLICT, RETURNING, a MERGE's WHEN clauses) resolved for what their
 * calls, operators and conversions are, as a query of `from` with them as its target list: `'x' || n` is textanycat,
 * STABLE, which a name does not tell. `DEFAULT` and multi-assignments are left out; undefined when nothing is left.
 * (A column both FROM items have, unqualified, is ambiguous here: its expression stays unresolved.)
 */
export function typedExpressions(from: PgNode[], exprs: readonly (PgNode | undefined)[], ctx: ResolveContext, withClause?: PgNode): QueryModel | undefined {
  const targetList = exprs.filter((e): e is PgNode => !!e && !e.SetToDefault && !e.MultiAssignRef).map((val) => ({ ResTarget: { val } }));
  if (!targetList.length) return undefined;
  return buildQueryModel({ fromClause: from, targetList, withClause }, undefined, ctx);
}

/**
 * The query model of a SELECT (with the CTEs of an enclosing INSERT): the same resolver, without its
 * errors. The DML predictor builds models of the FROM part of UPDATE / DELETE / MERGE this way.
 */
export function buildQueryModel(select: PgNode, insertWith: PgNode | undefined, ctx: ResolveContext): QueryModel {
  const resolver = new Resolver(ctx);
  if (insertWith) resolver.insertStatement({ withClause: insertWith, selectStmt: { SelectStmt: select } });
  else resolver.selectStatement(select);
  resolver.constantsOfCtesNotInlined();
  return resolver.qm;
}

/** The columns with a DEFAULT that CREATE TABLE or ALTER TABLE .. ADD COLUMN defines. */
function columnDefaults(ast: PgNode | undefined): { def: PgNode; expr: PgNode }[] {
  const defs: PgNode[] = ast?.CreateStmt
    ? (ast.CreateStmt.tableElts ?? []).map((e: PgNode) => e.ColumnDef).filter(Boolean)
    : (ast?.AlterTableStmt?.cmds ?? []).map((c: PgNode) => (c.AlterTableCmd?.subtype === 'AT_AddColumn' ? c.AlterTableCmd.def?.ColumnDef : undefined)).filter(Boolean);
  const out: { def: PgNode; expr: PgNode }[] = [];
  for (const def of defs) {
    const expr: PgNode | undefined = (def.constraints ?? []).map((c: PgNode) => c.Constraint).find((c: PgNode | undefined) => c?.contype === 'CONSTR_DEFAULT')?.raw_expr;
    if (expr) out.push({ def, expr });
  }
  return out;
}

/** A CREATE TABLE or ALTER TABLE .. ADD COLUMN with a column DEFAULT (analyzeSemantics checks it). */
export function hasColumnDefaults(ast: PgNode | undefined): boolean {
  return !!(ast?.CreateStmt || ast?.AlterTableStmt) && columnDefaults(ast).length > 0;
}

/**
 * cookDefault(): a column's DEFAULT of CREATE TABLE or ALTER TABLE .. ADD COLUMN is analysed, and converted to the
 * column's type as an assignment, when the statement runs: `DEFAULT 'abc'` of an integer column fails with `invalid
 * input syntax for type integer: "abc"`, `DEFAULT true` with `column "n" is of type integer but default expression is
 * of type boolean`, `DEFAULT now() + 1` with `operator does not exist`. Only expressions without column references and
 * subqueries (which PostgreSQL refuses in a DEFAULT with messages of its own), of a built-in column type; the first
 * error.
 */
function columnDefaultErrors(ast: PgNode, ctx: ResolveContext): SemanticError[] {
  for (const { def, expr } of columnDefaults(ast)) {
    if (expr.A_Const?.isnull || containsNode(expr, 'ColumnRef') || containsNode(expr, 'SubLink')) continue;
    const type = typeOfTypeName(def.typeName);
    if (type === NO_TYPE) continue;
    const resolver = new Resolver(ctx);
    const level = resolver.selectStatement({ targetList: [{ ResTarget: { val: expr } }] });
    const found = resolver.allErrors();
    if (found.length) return found;
    const given = level.targets[0]?.type ?? NO_TYPE;
    // (a quoted literal is read by the column type's input function: in a target list it would be text)
    const literal = expr.A_Const?.sval?.sval;
    if (typeof literal === 'string') {
      const problem = literalInputProblem(type, literal);
      if (problem) return [{ rule: 'invalid-literal', message: problem.message, location: expr.A_Const.location ?? 0, node: expr, ...(problem.hint ? { hint: problem.hint } : {}), ...(problem.detail ? { detail: problem.detail } : {}) }];
      continue;
    }
    if (given === NO_TYPE || given === T.UNKNOWN || canCoerce(given, type, 'a') !== false) continue;
    const cat = builtins();
    return [{ rule: 'datatype-mismatch', message: `column "${def.colname}" is of type ${cat.display(type)} but default expression is of type ${cat.display(given)}`, location: firstLocation(expr), node: expr, hint: 'You will need to rewrite or cast the expression.' }];
  }
  return NO_ERRORS;
}

/**
 * The columns a view or a CREATE TABLE .. AS makes of its query: the names given (`CREATE VIEW v (a, b)`, `CREATE
 * TABLE t (a, b) AS`) in place of the first ones, each once (DefineVirtualRelation / heap_create_with_catalog:
 * `column "x" specified more than once`), and no more names than columns. Nothing when the query's columns are not all
 * known.
 */
function createdColumnsError(ast: PgNode, level: QueryLevel): SemanticError[] {
  if (levelTargetsIncomplete(level)) return NO_ERRORS;
  const view = ast.ViewStmt;
  const given: string[] = ((view ? view.aliases : ast.CreateTableAsStmt?.into?.IntoClause?.colNames ?? ast.CreateTableAsStmt?.into?.colNames) ?? []).map((n: PgNode) => n.String?.sval ?? '');
  const location = view ? (view.view?.location ?? 0) : (ast.CreateTableAsStmt?.into?.IntoClause?.rel?.location ?? ast.CreateTableAsStmt?.into?.rel?.location ?? 0);
  if (given.length > level.targets.length) {
    return [{ rule: 'datatype-mismatch', message: view ? 'CREATE VIEW specifies more column names than columns' : 'too many column names were specified', location, name: true }];
  }
  const names = level.targets.map((t, i) => given[i] ?? t.name);
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) return [{ rule: 'datatype-mismatch', message: `column "${n}" specified more than once`, location, name: true }];
    seen.add(n);
  }
  return NO_ERRORS;
}
