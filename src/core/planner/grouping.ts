/**
 * GROUP BY with GROUPING SETS, CUBE, ROLLUP and `()` as PostgreSQL's parse analysis leaves it for the planners
 * (Citus refuses a query whose `groupingSets` survive: "could not run distributed query with GROUPING SETS, CUBE, or
 * ROLLUP"). transformGroupClause flattens the list (flatten_grouping_sets: `()` at the top level is dropped) and
 * parseCheckAggregates expands it (expand_grouping_sets: the cartesian product of every item's sets, duplicates
 * removed under GROUP BY DISTINCT); when exactly one set results and it is not empty, the query is a plain GROUP BY
 * of that set's items (`GROUP BY a, GROUPING SETS ((b))` is `GROUP BY a, b`, and so is
 * `GROUP BY DISTINCT GROUPING SETS ((a), (a))`).
 *
 * A parenthesised list at the top level is its items already (src/core/parse/libpg.ts flattens it at parse).
 */
import { nameList, sameTree, type PgNode } from '../parse/ast';

/** One grouping set: its expressions (raw parse nodes). */
type GroupSet = PgNode[];

/** The most sets counted before giving up (PostgreSQL refuses more than 4096). */
const LIMIT = 4096;

export interface GroupingShape {
  /** the GROUP BY has grouping sets that survive parse analysis: Citus refuses the query */
  kept: boolean;
  /** the first GROUPING SETS / CUBE / ROLLUP / `()` item, where the message points (when kept) */
  node?: PgNode;
  /** the grouping expressions of a plain GROUP BY (the one set's items when the sets collapse to one) */
  items: PgNode[];
}

/** What GROUP BY `groupClause` (with `groupDistinct`) is after parse analysis. */
export function groupingShape(groupClause: PgNode[] | undefined, groupDistinct = false): GroupingShape {
  const list = groupClause ?? [];
  const first = list.find((g) => g.GroupingSet);
  if (!first) return { kept: false, items: list };
  const expanded: GroupSet[][] = [];
  let count = 1;
  for (const g of list) {
    // `()` at the top level is dropped (flatten_grouping_sets); what is left of an all-empty list is GROUP BY ()
    if (g.GroupingSet?.kind === 'GROUPING_SET_EMPTY') continue;
    const sets = expand(g);
    if (!sets) return { kept: true, node: first, items: [] };
    count *= sets.length;
    if (count > LIMIT) return { kept: true, node: first, items: [] };
    expanded.push(sets);
  }
  let result: GroupSet[] = [[]];
  for (const sets of expanded) result = result.flatMap((q) => sets.map((s) => union(q, s)));
  if (groupDistinct) result = result.filter((s, i) => !result.slice(0, i).some((t) => sameSet(s, t)));
  if (result.length === 1 && result[0].length > 0) return { kept: false, items: result[0] };
  return { kept: true, node: first, items: [] };
}

/** expand_groupingset_node(): the sets one GROUP BY item stands for; undefined for a form not modelled. */
function expand(g: PgNode): GroupSet[] | undefined {
  const gs = g.GroupingSet;
  if (!gs) return [[g]];
  const content: PgNode[] = gs.content ?? [];
  switch (gs.kind) {
    case 'GROUPING_SET_EMPTY':
      return [[]];
    case 'GROUPING_SET_SETS': {
      const out: GroupSet[] = [];
      for (const c of content) {
        const sets = c.RowExpr?.row_format === 'COERCE_IMPLICIT_CAST' ? [c.RowExpr.args ?? []] : expand(c);
        if (!sets) return undefined;
        out.push(...sets);
      }
      return out;
    }
    case 'GROUPING_SET_ROLLUP': {
      const parts = content.map(rowItems);
      const out: GroupSet[] = [[]];
      for (let i = 1; i <= parts.length; i++) out.push(parts.slice(0, i).flat());
      return out;
    }
    case 'GROUPING_SET_CUBE': {
      const parts = content.map(rowItems);
      if (parts.length > 12) return undefined;
      const out: GroupSet[] = [];
      for (let mask = 0; mask < 1 << parts.length; mask++) out.push(parts.filter((_, i) => mask & (1 << i)).flat());
      return out;
    }
    default:
      return undefined;
  }
}

/** A ROLLUP / CUBE element: `(a, b)` is one element of two expressions. */
function rowItems(c: PgNode): PgNode[] {
  return c.RowExpr?.row_format === 'COERCE_IMPLICIT_CAST' ? (c.RowExpr.args ?? []) : [c];
}

/** list_union: the set's expressions once each. */
function union(a: GroupSet, b: GroupSet): GroupSet {
  const out = [...a];
  for (const e of b) if (!out.some((x) => sameGroupExpr(x, e))) out.push(e);
  return out;
}

function sameSet(a: GroupSet, b: GroupSet): boolean {
  return a.length === b.length && a.every((x) => b.some((y) => sameGroupExpr(x, y)));
}

/**
 * Whether two grouping expressions are one sort-group reference: the same expression, a column counting as the same
 * whether qualified or not (`tenant_id`, `e.tenant_id`).
 */
function sameGroupExpr(a: PgNode, b: PgNode): boolean {
  return sameTree(a, b, (x, y) => {
    if (!Array.isArray(x.fields) || !Array.isArray(y.fields)) return undefined;
    const nx = nameList(x.fields);
    const ny = nameList(y.fields);
    return nx.length > 0 && ny.length > 0 && nx[nx.length - 1] === ny[ny.length - 1];
  });
}
