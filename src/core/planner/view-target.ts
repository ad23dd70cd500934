/**
 * A view as the target of INSERT / UPDATE / DELETE: the relation PostgreSQL's rewriter writes through
 * (rewriteTargetView) and whether it can. PostgreSQL checks a view's updatability before Citus plans
 * (view_query_is_auto_updatable); Citus then refuses a modification whose first range-table entry is the view
 * when the statement contains Citus tables (DeferErrorIfModifyView: `cannot modify views when the query contains
 * citus tables`), and an INSERT..SELECT into a view over a Citus table is not pushed down (`cannot insert into
 * view over distributed table`, in DistributedInsertSelectSupported). Pure: reads the model only.
 */
import { nameList, type PgNode } from '../parse/ast';
import type { SchemaModel, TableModel } from '../schema/model';
import { MAX_VIEW_DEPTH, viewQueryOf } from './query';

export interface ViewTarget {
  /** the table the view writes through, views followed; undefined when it cannot be told (a view not updatable) */
  base?: TableModel;
  /**
   * Why PostgreSQL refuses to write through the view (the DETAIL of `cannot insert into view ...`), when its query
   * is certainly not automatically updatable; undefined when it is, or when the model cannot tell.
   */
  notUpdatable?: string;
  /** the view whose query PostgreSQL refuses to write through: this one, or a view it reads (the error names it) */
  refusedBy?: TableModel;
  /** each view column that is a plain column of the base table: view column name -> base column name */
  columns: Map<string, string>;
}

/** The view's query when it is a plain SELECT the model can read. */
function viewSelect(view: TableModel): PgNode | undefined {
  const q = viewQueryOf(view);
  return q?.SelectStmt;
}

/**
 * PostgreSQL's view_query_is_auto_updatable, as far as the parse tree tells it: the DETAIL of its refusal, '' when
 * the query passes the checks, undefined when a target calls a function (an aggregate, window or set-returning one
 * would refuse it: the model does not tell them apart here).
 */
function autoUpdatableDetail(sel: PgNode): string | undefined {
  if (sel.op && sel.op !== 'SETOP_NONE') return 'Views containing UNION, INTERSECT, or EXCEPT are not automatically updatable.';
  if (sel.valuesLists?.length) return 'Views that do not select from a single table or view are not automatically updatable.';
  if (sel.distinctClause) return 'Views containing DISTINCT are not automatically updatable.';
  if (sel.groupClause?.length) return 'Views containing GROUP BY are not automatically updatable.';
  if (sel.havingClause) return 'Views containing HAVING are not automatically updatable.';
  if (sel.withClause) return 'Views containing WITH are not automatically updatable.';
  if (sel.limitCount || sel.limitOffset) return 'Views containing LIMIT or OFFSET are not automatically updatable.';
  const from: PgNode[] = sel.fromClause ?? [];
  if (from.length !== 1 || !from[0].RangeVar) return 'Views that do not select from a single table or view are not automatically updatable.';
  const targets: PgNode[] = (sel.targetList ?? []).map((t: PgNode) => t.ResTarget?.val);
  if (targets.some((v) => v?.FuncCall?.over)) return 'Views that return window functions are not automatically updatable.';
  if (JSON.stringify(targets).includes('"FuncCall"')) return undefined;
  return '';
}

/**
 * PostgreSQL's own refusal to write through `view` (rewriteTargetView): the view that is not automatically updatable
 * (this one, or one it reads, which the error names) and why, when no INSTEAD OF trigger or rule on the views between
 * may take the statement. A view of a snapshot or a cluster is not vouched for a DELETE (its INSTEAD OF DELETE
 * triggers are not read). Undefined when PostgreSQL writes through it or the model cannot tell.
 */
export function postgresViewRefusal(view: TableModel, vt: ViewTarget, command: string, model: SchemaModel, searchPath: readonly string[]): { refusedBy: TableModel; detail: string } | undefined {
  const refusedBy = vt.refusedBy;
  if (!refusedBy || !vt.notUpdatable) return undefined;
  const hooked = (v: TableModel): boolean => !!v.rowHooks || (!v.viewQuery && command === 'DELETE');
  let v: TableModel | undefined = view;
  for (let depth = 0; v && depth <= MAX_VIEW_DEPTH; depth++) {
    if (hooked(v)) return undefined;
    if (v === refusedBy) return { refusedBy, detail: vt.notUpdatable };
    const rv: PgNode | undefined = viewSelect(v)?.fromClause?.[0]?.RangeVar;
    v = rv ? model.resolve(rv.schemaname, rv.relname, searchPath) : undefined;
  }
  return undefined;
}

/**
 * What a view target writes through. Followed through views that select from one view, up to MAX_VIEW_DEPTH; a
 * view the model cannot read gives an empty result (nothing is said about it).
 */
export function viewTargetOf(view: TableModel, model: SchemaModel, searchPath: readonly string[], depth = 0): ViewTarget {
  const columns = new Map<string, string>();
  const sel = viewSelect(view);
  if (!sel || depth >= MAX_VIEW_DEPTH) return { columns };
  const detail = autoUpdatableDetail(sel);
  if (detail) return { notUpdatable: detail, refusedBy: view, columns };
  if (detail === undefined) return { columns };
  const rv = sel.fromClause[0].RangeVar;
  const table = model.resolve(rv.schemaname, rv.relname, searchPath);
  if (!table) return { columns };
  const next = table.kind === 'view' ? viewTargetOf(table, model, searchPath, depth + 1) : undefined;
  if (next && !next.base) return next.notUpdatable ? next : { columns };
  const base = next?.base ?? table;
  const alias = rv.alias?.aliasname ?? rv.relname;
  // the view's own column names, in order, against its target list with `*` expanded over the table read
  const names: string[] = [];
  for (const t of sel.targetList ?? []) {
    const rt = t.ResTarget;
    const ref = rt?.val?.ColumnRef;
    const fields = ref ? nameList(ref.fields) : undefined;
    const star = ref && ref.fields?.[ref.fields.length - 1]?.A_Star !== undefined;
    if (star) {
      for (const c of table.columns) names.push(c.name);
      continue;
    }
    const own = fields && (fields.length === 1 || (fields.length === 2 && fields[0] === alias)) ? fields[fields.length - 1] : undefined;
    names.push(own !== undefined && table.columns.some((c) => c.name === own) ? own : '');
  }
  view.columns.forEach((c, i) => {
    const read = names[i];
    if (!read) return;
    const inBase = next ? next.columns.get(read) : read;
    if (inBase) columns.set(c.name, inBase);
  });
  return { base, columns };
}

/** The base table seen through the view's column names: what an INSERT into the view writes, named as the view names it. */
export function throughView(target: ViewTarget, view: TableModel): TableModel | undefined {
  const base = target.base;
  if (!base) return undefined;
  const byBase = new Map<string, string>();
  for (const [v, b] of target.columns) if (!byBase.has(b)) byBase.set(b, v);
  const dist = base.distributionColumn;
  if (dist && !byBase.has(dist)) return undefined;
  return {
    ...base,
    columns: view.columns.flatMap((c) => {
      const b = target.columns.get(c.name);
      const col = b ? base.columns.find((x) => x.name === b) : undefined;
      return col ? [{ ...col, name: c.name }] : [];
    }),
    distributionColumn: dist ? byBase.get(dist) : undefined,
    // ON CONFLICT names the view's columns; PostgreSQL infers the base table's unique index through them
    primaryKey: viewKey(base.primaryKey),
    uniqueKeys: base.uniqueKeys.flatMap((k) => { const v = viewKey(k); return v ? [v] : []; }),
    // (an index on a column the view does not show cannot be named through it)
    // (its predicate's columns as the view names them: one the view does not show, not compared)
    otherUniqueIndexes: base.otherUniqueIndexes?.flatMap((i) => {
      const v = viewKey(i.columns);
      if (!v) return [];
      const { predicateColumns, ...rest } = i;
      const p = predicateColumns && viewKey(predicateColumns);
      return [{ ...rest, columns: v, ...(p ? { predicateColumns: p } : {}) }];
    }),
  };
  function viewKey(key: string[] | undefined): string[] | undefined {
    if (!key || !key.every((c) => byBase.has(c))) return undefined;
    return key.map((c) => byBase.get(c)!);
  }
}
