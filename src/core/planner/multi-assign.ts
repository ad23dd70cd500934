/**
 * `UPDATE .. SET (a, b) = (SELECT ..)` on a Citus table: how Citus 13.2 deparses the SET list for the shards, and the
 * columns that then get another column's value.
 *
 * PostgreSQL's rewriter puts the SET list in column order (rewriteTargetListIU()). Citus' deparser
 * (get_update_query_targetlist_def() in deparser/ruleutils_15.c) first restores the order of the sub-SELECTs' columns
 * when that order is broken (ensure_update_targetlist_in_param_order() in deparser/citus_ruleutils.c): it sorts the
 * entries by the parameter each one reads, which GetParamId() finds only under cast functions, not under a
 * binary-compatible relabeling (text -> varchar), an I/O conversion, an array conversion or a domain check; an entry
 * it cannot see through counts as 0 and moves to the front. Then it prints each sub-SELECT's group as the next
 * entries in that order, `(v, t) = (SELECT 'T', 'V')`, whatever columns they are. A column that lands at another
 * position gets another column's value: a type error on the shard when the value does not convert, silently wrong
 * data when it does. Checked on Citus 13.2.2 (distributed, reference, single-shard and citus-local tables; plain tables
 * are not deparsed and are right): `SET (t, v) = (SELECT 'T', 'V')` with `v varchar(10)` before `t text` writes
 * t = 'V' and v = 'T'.
 */
import { builtins, NO_TYPE, type TypeId } from '../semantic/catalog';
import type { SetTarget } from '../semantic/model';
import { typeOfColumnType } from '../semantic/types';
import { canCoerce } from '../semantic/coerce';
import type { TableModel } from '../schema/model';

/** A column that Citus' deparsed SET list gives another value than the statement does. */
export interface Misassigned {
  column: string;
  /** the sub-SELECT column (1-based group and position) it gets instead of its own */
  gets: { group: number; position: number };
  /** its own: the one the statement gives it */
  own: { group: number; position: number };
  /** whether that value converts to the column's type (else the shard refuses the statement) */
  converts: boolean;
  type: TypeId;
  valueType: TypeId;
}

export interface MultiAssignPlan {
  /** the deparsed SET list's groups: for each sub-SELECT, the columns it is printed with, in order */
  printed: string[][];
  misassigned: Misassigned[];
}

/**
 * The deparsed SET list of `targets` on `table`, when a sub-SELECT's columns land on other columns; undefined when
 * every column gets its own value, or when the model cannot tell (a type it does not know, subscripts or fields, a
 * column list long enough that the sort's order among equal keys is not fixed).
 */
export function misassignedColumns(targets: readonly SetTarget[], table: TableModel): MultiAssignPlan | undefined {
  const groups = targets.filter((t) => t.group !== undefined);
  if (!groups.length || targets.some((t) => t.indirection)) return undefined;
  const attnum = (name: string): number => table.columns.findIndex((c) => c.name === name);
  if (targets.some((t) => attnum(t.column) < 0)) return undefined;
  // the entries in column order, each with the key GetParamId() gives it (0: none found)
  const entries: { t: SetTarget; key: number }[] = [];
  for (const t of [...targets].sort((a, b) => attnum(a.column) - attnum(b.column))) {
    if (t.group === undefined) {
      entries.push({ t, key: 0 });
      continue;
    }
    const visible = paramVisible(t.source ?? NO_TYPE, typeOfColumnType(table.columns[attnum(t.column)].type));
    if (visible === undefined) return undefined;
    entries.push({ t, key: visible ? t.group * 65536 + (t.position ?? 0) : 0 });
  }
  let order = entries;
  if (entries.some((e, i) => i > 0 && e.key < entries[i - 1].key)) {
    // list_sort() is PostgreSQL's qsort: an insertion sort (stable) below 7 entries; above, entries of equal keys
    // (the 0s) may come in any order
    if (entries.length >= 7 && entries.filter((e) => e.key === 0).length > 1) return undefined;
    order = [...entries].sort((a, b) => a.key - b.key);
  }
  // the deparser starts the next sub-SELECT's group at the first entry of a group, and gives it the next entries
  const size = new Map<number, number>();
  for (const t of groups) size.set(t.group!, Math.max(size.get(t.group!) ?? 0, t.position ?? 0));
  const printed: string[][] = [];
  const gets = new Map<SetTarget, { group: number; position: number }>();
  let next = 1;
  let current = 0;
  let remaining = 0;
  for (const e of order) {
    if (current === 0 && next <= size.size && e.t.group !== undefined) {
      current = next++;
      remaining = size.get(current) ?? 0;
      printed.push([]);
    }
    if (current === 0) continue;
    // a plain assignment inside a group: what Citus prints then is not modelled
    if (e.t.group === undefined) return undefined;
    printed[printed.length - 1].push(e.t.column);
    gets.set(e.t, { group: current, position: printed[printed.length - 1].length });
    if (--remaining === 0) current = 0;
  }
  const misassigned: Misassigned[] = [];
  for (const e of order) {
    if (e.t.group === undefined) continue;
    const g = gets.get(e.t);
    if (!g) return undefined;
    if (g.group === e.t.group && g.position === e.t.position) continue;
    const valueType = groups.find((t) => t.group === g.group && t.position === g.position)?.source ?? NO_TYPE;
    const type = typeOfColumnType(table.columns[attnum(e.t.column)].type);
    if (valueType === NO_TYPE || type === NO_TYPE) return undefined;
    const converts = valueType === type || canCoerce(valueType, type, 'a');
    if (converts === undefined) return undefined;
    misassigned.push({ column: e.t.column, gets: g, own: { group: e.t.group, position: e.t.position ?? 0 }, converts, type, valueType });
  }
  return misassigned.length ? { printed, misassigned } : undefined;
}

/**
 * Whether GetParamId() finds the parameter in the assignment of a `source` value to a column of type `target`: the
 * value itself, or a cast function around it (with a length coercion around that). Not under a relabeling
 * (binary-compatible types), an I/O conversion, an array conversion or a domain check. Undefined for types the model
 * does not know.
 */
function paramVisible(source: TypeId, target: TypeId): boolean | undefined {
  const cat = builtins();
  if (source === NO_TYPE || target === NO_TYPE) return undefined;
  if (source === target) return true;
  const s = cat.type(source);
  const t = cat.type(target);
  if (!s || !t || s.typtype === 'd' || t.typtype === 'd' || s.typtype === 'p' || t.typtype === 'p') return undefined;
  const cast = cat.cast(source, target);
  if (cast) return cast[1] === 'f';
  // no pg_cast entry: an array conversion or an I/O conversion to a string type, both hidden
  if ((s.elem && t.elem) || t.category === 'S') return false;
  return undefined;
}
