/**
 * PostgreSQL's errors for DDL that names a column the table does not have, or adds one it already has (rule
 * ddl-column-error): `ALTER TABLE t ALTER COLUMN c SET NOT NULL` on a table without `c`, `DROP COLUMN`,
 * `RENAME COLUMN`, a key or foreign key of missing columns, `CREATE INDEX ON t (c)`, `ADD COLUMN` of a column that
 * exists, `CREATE TABLE t (a int, a text)`. The messages are PostgreSQL 15's (tablecmds.c, parse_utilcmd.c,
 * indexcmds.c), checked on PostgreSQL 15 and on Citus 13.2.2 (the same for distributed tables: Citus passes these
 * commands to PostgreSQL first).
 *
 * Only for tables whose every column the model knows (no LIKE, INHERITS, OF type or snapshot gaps): a name the model
 * does not list may still be a column otherwise. Nor for a name an earlier ALTER TABLE added, dropped or renamed
 * (TableModel.columnsTouched): PostgreSQL may have refused that statement for a reason the model does not follow.
 * System columns (`ctid`, `xmin`, ...) get other errors, and are left alone.
 */
import { containsNode, stringValue, walk, type PgNode } from '../parse/ast';
import { findColumn, type TableModel } from './model';
import { NO_TYPE, T, builtins, type TypeId } from '../semantic/catalog';
import { canCoerce } from '../semantic/coerce';
import { typeOfColumnType, typeOfTypeName } from '../semantic/types';

const SYSTEM_COLUMNS = new Set(['ctid', 'xmin', 'xmax', 'cmin', 'cmax', 'tableoid', 'oid']);

/** The table's column list is the whole table. */
export function columnsSure(table: TableModel): boolean {
  return !table.catalog && !table.columnsIncomplete && !table.kindUncertain && table.kind !== 'view' && table.kind !== 'matview' && table.columns.length > 0;
}

/** The columns an ALTER TABLE works on, as its subcommands leave them (ADD COLUMN, DROP COLUMN in order). */
class Columns {
  private readonly names: Set<string>;
  private readonly touched: ReadonlySet<string>;
  constructor(names: readonly string[], touched: readonly string[] = []) {
    this.names = new Set(names);
    this.touched = new Set(touched);
  }
  /** a name an earlier ALTER TABLE added, dropped or renamed: whether the table has it is not sure */
  unsure(name: string): boolean {
    return this.touched.has(name);
  }
  has(name: string): boolean {
    return this.names.has(name);
  }
  add(name: string): void {
    this.names.add(name);
  }
  drop(name: string): void {
    this.names.delete(name);
  }
}

/** The first column error of an ALTER TABLE on `table` (whose columns are sure), or undefined. */
export function alterTableColumnProblem(table: TableModel, alter: PgNode): string | undefined {
  // (the columns named first, in ALTER TABLE's preparation; the added columns' and new defaults' expressions when it runs)
  return alterColumnNamesProblem(table, alter) ?? alterExpressionProblem(alter);
}

/**
 * The DEFAULT, generation and CHECK expressions ALTER TABLE adds (ADD COLUMN, ALTER COLUMN .. SET DEFAULT, ADD CHECK),
 * whatever the table.
 */
function alterExpressionProblem(alter: PgNode): string | undefined {
  for (const c of alter.cmds ?? []) {
    const cmd = c.AlterTableCmd;
    const problem =
      cmd?.subtype === 'AT_AddColumn' && cmd.def?.ColumnDef
        ? expressionShapeProblem([cmd.def])
        : cmd?.subtype === 'AT_ColumnDefault' && cmd.def
          ? defaultProblem(cmd.def)
          : cmd?.subtype === 'AT_AddConstraint' && cmd.def?.Constraint
            ? expressionShapeProblem([cmd.def])
            : undefined;
    if (problem) return problem;
  }
  return undefined;
}

function alterColumnNamesProblem(table: TableModel, alter: PgNode): string | undefined {
  if (!columnsSure(table)) return undefined;
  const cols = new Columns(table.columns.map((c) => c.name), table.columnsTouched);
  const missing = (name: string): string => `column "${name}" of relation "${table.name}" does not exist`;
  for (const c of alter.cmds ?? []) {
    const cmd = c.AlterTableCmd;
    if (!cmd) continue;
    const name: string | undefined = cmd.name;
    switch (cmd.subtype) {
      case 'AT_AddColumn': {
        const col: string | undefined = cmd.def?.ColumnDef?.colname;
        if (!col || cols.unsure(col)) return undefined;
        if (cols.has(col)) return cmd.missing_ok ? undefined : `column "${col}" of relation "${table.name}" already exists`;
        cols.add(col);
        // (its own constraints name no other column)
        break;
      }
      case 'AT_DropColumn':
        if (!name || SYSTEM_COLUMNS.has(name) || cols.unsure(name)) return undefined;
        if (!cols.has(name)) {
          if (cmd.missing_ok) break;
          return missing(name);
        }
        cols.drop(name);
        break;
      case 'AT_SetNotNull':
      case 'AT_DropNotNull':
      case 'AT_ColumnDefault':
      case 'AT_AlterColumnType':
      case 'AT_SetStatistics':
      case 'AT_SetStorage':
        if (!name || SYSTEM_COLUMNS.has(name) || cols.unsure(name)) return undefined;
        if (!cols.has(name)) return missing(name);
        if (cmd.subtype === 'AT_AlterColumnType') {
          const problem = typeChangeProblem(table, name, cmd.def?.ColumnDef);
          if (problem) return problem;
        }
        break;
      case 'AT_AddConstraint': {
        const con = cmd.def?.Constraint;
        const problem = con ? constraintColumnProblem(con, cols, table.name, 'alter') : undefined;
        if (problem) return problem;
        break;
      }
      default:
        break;
    }
  }
  return undefined;
}

/**
 * ALTER COLUMN .. TYPE without USING converts the column with an assignment cast (ATPrepAlterColumnType): none from
 * text to integer, say, and PostgreSQL refuses (`column "name" cannot be cast automatically to type integer`, with a
 * hint to write USING); with USING, the expression's result is converted so (`result of USING clause for column "name"
 * cannot be cast automatically to type boolean`), checked where its type is evident (usingExpressionType). Built-in
 * types only (a domain's, an enum's or an extension's casts are not followed), the column as the model last saw it
 * (its type is sure only when no earlier ALTER TABLE changed it).
 */
function typeChangeProblem(table: TableModel, name: string, def: PgNode | undefined): string | undefined {
  if (!def || (table.columnsTouched ?? []).includes(name)) return undefined;
  const to = typeOfTypeName(def.typeName);
  if (def.raw_default) {
    // the USING expression is converted the same way (`result of USING clause ...`), when its type is evident
    const from = usingExpressionType(table, def.raw_default);
    if (from === NO_TYPE || to === NO_TYPE || canCoerce(from, to, 'a') !== false) return undefined;
    return `result of USING clause for column "${name}" cannot be cast automatically to type ${builtins().display(to)}`;
  }
  const from = typeOfColumnType(findColumn(table, name)?.type);
  if (from === NO_TYPE || to === NO_TYPE || canCoerce(from, to, 'a') !== false) return undefined;
  return `column "${name}" cannot be cast automatically to type ${builtins().display(to)}`;
}

/**
 * The type of an ALTER COLUMN .. TYPE's USING expression where it shows without analysis: a cast, a column of the
 * table (as the model last saw it), a number or boolean literal. NO_TYPE otherwise (a string literal's type is unknown
 * and converts to anything; a function's or an operator's result is not looked up here).
 */
function usingExpressionType(table: TableModel, expr: PgNode): TypeId {
  if (expr.TypeCast) return typeOfTypeName(expr.TypeCast.typeName);
  const fields: PgNode[] | undefined = expr.ColumnRef?.fields;
  if (fields && (fields.length === 1 || (fields.length === 2 && stringValue(fields[0]) === table.name))) {
    const column = stringValue(fields[fields.length - 1]);
    if (column === undefined || (table.columnsTouched ?? []).includes(column)) return NO_TYPE;
    return typeOfColumnType(findColumn(table, column)?.type);
  }
  const c = expr.A_Const;
  if (c?.ival) return Number.isSafeInteger(c.ival.ival ?? 0) && Math.abs(c.ival.ival ?? 0) < 2 ** 31 ? T.INT4 : NO_TYPE;
  if (c?.boolval) return T.BOOL;
  return NO_TYPE;
}

/** A table constraint's columns: a key's, a foreign key's own (the referenced table's are another check). */
function constraintColumnProblem(con: PgNode, cols: Columns, table: string, where: 'alter' | 'create'): string | undefined {
  if (con.indexname) return undefined; // USING INDEX: the index's columns
  const names = (list: PgNode[] | undefined): string[] => (list ?? []).map((n) => n.String?.sval ?? n.String?.str).filter((n): n is string => typeof n === 'string');
  if (con.contype === 'CONSTR_PRIMARY' || con.contype === 'CONSTR_UNIQUE') {
    const keys = [...names(con.keys), ...names(con.including)];
    if (keys.some((k) => SYSTEM_COLUMNS.has(k) || cols.unsure(k))) return undefined;
    const absent = keys.find((k) => !cols.has(k));
    if (!absent) {
      // transformIndexConstraint: a key column once
      const twice = names(con.keys).find((k, i, all) => all.indexOf(k) !== i);
      return twice ? `column "${twice}" appears twice in ${con.contype === 'CONSTR_PRIMARY' ? 'primary key' : 'unique'} constraint` : undefined;
    }
    // ALTER TABLE .. ADD PRIMARY KEY reaches the column's NOT NULL first (ATPrepAddPrimaryKey)
    return con.contype === 'CONSTR_PRIMARY' && where === 'alter' ? `column "${absent}" of relation "${table}" does not exist` : `column "${absent}" named in key does not exist`;
  }
  // ALTER TABLE .. ADD CHECK (the CREATE TABLE ones are checked with the table's other expressions)
  if (con.contype === 'CONSTR_CHECK' && where === 'alter' && con.raw_expr) {
    const absent = unknownColumnIn(con.raw_expr, cols);
    // (the table's own name, where no column has it, is the whole row, which a CHECK may read)
    return absent && absent !== table ? `column "${absent}" does not exist` : undefined;
  }
  if (con.contype === 'CONSTR_FOREIGN') {
    const own = names(con.fk_attrs);
    if (own.some((k) => SYSTEM_COLUMNS.has(k) || cols.unsure(k))) return undefined;
    const absent = own.find((k) => !cols.has(k));
    return absent ? `column "${absent}" referenced in foreign key constraint does not exist` : undefined;
  }
  return undefined;
}

/** ALTER TABLE .. RENAME COLUMN `from` TO `to`. */
export function renameColumnProblem(table: TableModel, from: string, to: string): string | undefined {
  if (!columnsSure(table) || SYSTEM_COLUMNS.has(from) || SYSTEM_COLUMNS.has(to)) return undefined;
  const touched = table.columnsTouched ?? [];
  if (touched.includes(from) || touched.includes(to)) return undefined;
  if (!findColumn(table, from)) return `column "${from}" does not exist`;
  if (from !== to && findColumn(table, to)) return `column "${to}" of relation "${table.name}" already exists`;
  return undefined;
}

/** CREATE INDEX: its plain columns and INCLUDE columns (expressions are not followed). */
export function indexColumnProblem(table: TableModel, idx: PgNode): string | undefined {
  if (!columnsSure(table)) return undefined;
  for (const p of [...(idx.indexParams ?? []), ...(idx.indexIncludingParams ?? [])]) {
    const name: string | undefined = p.IndexElem?.name;
    if (!name || SYSTEM_COLUMNS.has(name) || table.columnsTouched?.includes(name)) continue;
    if (!findColumn(table, name)) return `column "${name}" does not exist`;
  }
  return undefined;
}

/**
 * CREATE TABLE: a table constraint naming a column the statement does not define, then a column defined twice.
 * Only for a table whose columns are all in the statement (no LIKE, INHERITS, PARTITION OF, OF type).
 */
export function createTableColumnProblem(create: PgNode, name: string): string | undefined {
  // transformColumnDefinition, for every column before anything else: NULL and NOT NULL both
  for (const e of create.tableElts ?? []) {
    const kinds = new Set((e.ColumnDef?.constraints ?? []).map((c: PgNode) => c.Constraint?.contype).filter((k: unknown) => k === 'CONSTR_NULL' || k === 'CONSTR_NOTNULL'));
    if (kinds.size === 2) return `conflicting NULL/NOT NULL declarations for column "${e.ColumnDef.colname}" of table "${name}"`;
  }
  const shapeProblem = expressionShapeProblem(create.tableElts ?? []);
  if (create.inhRelations?.length || create.partbound || create.ofTypename) return shapeProblem;
  const elts: PgNode[] = create.tableElts ?? [];
  if (elts.some((e) => e.TableLikeClause)) return shapeProblem;
  const defined = elts.map((e) => e.ColumnDef?.colname).filter((n): n is string => typeof n === 'string');
  const cols = new Columns(defined);
  for (const e of elts) {
    const problem = e.Constraint ? constraintColumnProblem(e.Constraint, cols, name, 'create') : undefined;
    if (problem) return problem;
  }
  const seen = new Set<string>();
  for (const n of defined) {
    if (seen.has(n)) return `column "${n}" specified more than once`;
    seen.add(n);
  }
  // the partition key's columns (ComputePartitionAttrs), then the CHECK and GENERATED expressions' (cookConstraint,
  // cookDefault: `column "b" does not exist`), as DefineRelation meets them
  for (const p of create.partspec?.PartitionSpec?.partParams ?? create.partspec?.partParams ?? []) {
    const col: string | undefined = p.PartitionElem?.name;
    if (col && !SYSTEM_COLUMNS.has(col) && !cols.has(col)) return `column "${col}" named in partition key does not exist`;
  }
  const exprs: { expr: PgNode; generated: boolean }[] = [];
  for (const e of elts) {
    const cons: PgNode[] = e.ColumnDef ? (e.ColumnDef.constraints ?? []) : e.Constraint ? [e] : [];
    for (const c of cons) {
      const con = c.Constraint;
      if ((con?.contype === 'CONSTR_CHECK' || con?.contype === 'CONSTR_GENERATED') && con.raw_expr) exprs.push({ expr: con.raw_expr, generated: con.contype === 'CONSTR_GENERATED' });
    }
  }
  for (const { expr, generated } of exprs) {
    const absent = unknownColumnIn(expr, cols);
    // the table's own name, where no column has it, is the whole row: a CHECK may read it, a generation expression not
    if (absent === name) {
      if (generated) return 'cannot use whole-row variable in column generation expression';
      continue;
    }
    if (absent) return `column "${absent}" does not exist`;
  }
  return shapeProblem;
}

/**
 * What a column's DEFAULT, a generation expression or a CHECK may not hold, whatever the table (cookDefault and
 * cookConstraint, in that order: the columns' defaults and generation expressions, then the CHECKs): a subquery, a
 * column in a DEFAULT, a generated column in another's generation expression. For CREATE TABLE's elements and an
 * ALTER TABLE's added columns.
 */
export function expressionShapeProblem(elts: readonly PgNode[]): string | undefined {
  const generated = new Set(elts.flatMap((e) => ((e.ColumnDef?.constraints ?? []).some((c: PgNode) => c.Constraint?.contype === 'CONSTR_GENERATED') ? [e.ColumnDef.colname] : [])));
  const checks: PgNode[] = [];
  for (const e of elts) {
    for (const c of e.ColumnDef ? (e.ColumnDef.constraints ?? []) : e.Constraint ? [e] : []) {
      const con = c.Constraint;
      if (!con?.raw_expr) continue;
      if (con.contype === 'CONSTR_CHECK') checks.push(con.raw_expr);
      else if (con.contype === 'CONSTR_DEFAULT') {
        const problem = defaultProblem(con.raw_expr);
        if (problem) return problem;
      } else if (con.contype === 'CONSTR_GENERATED') {
        if (containsNode(con.raw_expr, 'SubLink')) return 'cannot use subquery in column generation expression';
        const other = columnNamesIn(con.raw_expr).find((n) => generated.has(n));
        if (other) return `cannot use generated column "${other}" in column generation expression`;
      }
    }
  }
  return checks.some((x) => containsNode(x, 'SubLink')) ? 'cannot use subquery in check constraint' : undefined;
}

/** A column's DEFAULT (transformExpr with EXPR_KIND_COLUMN_DEFAULT): no subquery, no column. */
export function defaultProblem(expr: PgNode): string | undefined {
  if (containsNode(expr, 'SubLink')) return 'cannot use subquery in DEFAULT expression';
  return containsNode(expr, 'ColumnRef') ? 'cannot use column reference in DEFAULT expression' : undefined;
}

/** The unqualified column names of an expression, outside subqueries. */
function columnNamesIn(expr: PgNode): string[] {
  const out: string[] = [];
  walk(expr, (type, f) => {
    if (type === 'SubLink') return false;
    if (type === 'ColumnRef' && f.fields?.length === 1) {
      const n = stringValue(f.fields[0]);
      if (n !== undefined) out.push(n);
    }
    return undefined;
  });
  return out;
}

/** An unqualified column name of an expression that the table does not define (a subquery's are its own). */
function unknownColumnIn(expr: PgNode, cols: Columns): string | undefined {
  let found: string | undefined;
  walk(expr, (type, f) => {
    if (found || type === 'SubLink') return false;
    if (type !== 'ColumnRef') return undefined;
    const name = f.fields?.length === 1 ? stringValue(f.fields[0]) : undefined;
    if (name !== undefined && !SYSTEM_COLUMNS.has(name) && !cols.has(name) && !cols.unsure(name)) found = name;
    return false;
  });
  return found;
}
