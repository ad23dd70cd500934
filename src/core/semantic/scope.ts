/**
 * What the resolver shows an observer while it runs: the namespace visible at each column reference and at
 * each relation name, and what each one resolved to. Completion, go to definition, references and document
 * highlights read PostgreSQL's scoping from here (the resolver's own namespaces, at the moment it resolves a
 * name), never from a second resolver.
 *
 * The observer is an option of the resolver (`ResolveContext.observer`), off by default. Its callbacks get the
 * resolver's live parse state: the namespace changes as the resolver goes on (a JOIN's ON clause sees only the
 * join's inputs, LATERAL items become visible), so what a caller needs from it must be read inside the call.
 */
import type { PgNode } from '../parse/ast';
import type { TableModel } from '../schema/model';
import type { TypeId } from './catalog';
import type { CteDef, FromItem, Origin, QueryLevel, RelOcc } from './model';

/** A column of a namespace item (NsColumn in ./resolver.ts). */
export interface ScopeColumn {
  readonly name: string;
  readonly type: TypeId;
  /** its origin when set; a relation's columns derive theirs from their owner (columnOrigin()) */
  readonly origin?: Origin;
  /** the FROM item the column belongs to: a join lists its inputs' columns as they are */
  readonly owner?: ScopeItem;
  /** a relation's own name for the column, when an alias list renamed it */
  readonly column?: string;
  /** the input column a join alias column list renamed */
  readonly via?: ScopeColumn;
}

/** A namespace item (ParseNamespaceItem): a FROM item, a join, a DML target, EXCLUDED. */
export interface ScopeItem {
  /** the name qualified references use (alias, or the relation's name); undefined for an alias-less join */
  readonly refname: string | undefined;
  readonly schema?: string;
  readonly table?: TableModel;
  readonly aliased: boolean;
  readonly relVisible: boolean;
  readonly colsVisible: boolean;
  readonly lateralOnly: boolean;
  readonly lateralOk: boolean;
  /** undefined: the model does not know the columns */
  readonly columns: readonly ScopeColumn[] | undefined;
  readonly item?: FromItem;
  /** a relation occurrence's: where its columns' values come from */
  readonly rel?: RelOcc;
}

/** The parse state of one query level (LevelState in ./resolver.ts). */
export interface ScopeState {
  readonly level: QueryLevel;
  readonly parent: ScopeState | undefined;
  readonly ns: readonly ScopeItem[];
  readonly ctes: ReadonlyMap<string, CteDef>;
  readonly lateralActive: boolean;
  /** lookups stop here (a view's stored query) */
  readonly isolated: boolean;
  /** a view's stored query (or inside one): not text of the statement */
  readonly quiet: boolean;
}

/** A resolved column reference (Binding in ./resolver.ts). */
export interface ScopeBinding {
  /** undefined for a PL/pgSQL variable or an ambiguous name */
  readonly ns: ScopeItem | undefined;
  readonly column: string;
  /** the input item and column a join's column stands for */
  readonly base?: ScopeItem;
  readonly baseColumn?: string;
  readonly type: TypeId;
  readonly origin: Origin;
  readonly levelsUp: number;
}

export interface ResolveObserver {
  /** a column reference (`ColumnRef` fields) was resolved in `st`; `binding` is undefined when it did not resolve */
  columnRef(ref: PgNode, st: ScopeState, binding: ScopeBinding | undefined): void;
  /** a relation name (`RangeVar` fields) of a FROM clause or a DML target was looked up in `st` */
  relation(rv: PgNode, st: ScopeState, found: { table?: TableModel; cte?: CteDef }): void;
}

const UNKNOWN: Origin = { kind: 'unknown' };

/** Where a column's value comes from (colOrigin() in ./resolver.ts, without caching it on the column). */
export function columnOrigin(c: ScopeColumn): Origin {
  if (c.origin) return c.origin;
  const rel = c.owner?.rel;
  return rel ? { kind: 'column', rel, column: c.column ?? c.name } : UNKNOWN;
}

/** The input item and column a join's column stands for, as a qualified name reaches it (`p.tenant_id`). */
export function inputOf(item: ScopeItem, c: ScopeColumn): { item: ScopeItem; column: string } | undefined {
  const src = c.via ?? c;
  return src.owner && src.owner !== item ? { item: src.owner, column: src.name } : undefined;
}

/** One column a bare name can reach from `st`: its item, and whether the bare name is ambiguous at its level. */
export interface VisibleColumn {
  item: ScopeItem;
  column: ScopeColumn;
  levelsUp: number;
  /** another item of the same level has a column of this name: only the qualified form resolves */
  ambiguous: boolean;
  /**
   * an item whose columns the model does not know is visible at this level or an inner one: it may have a column of
   * this name too, which would make the bare name ambiguous or take it; the qualified form is safe
   */
  uncertain: boolean;
}

/**
 * The columns an unqualified name can reach from `st` (colNameToVar()): the visible items of this level, then of
 * the enclosing levels, a name of an inner level hiding the same name further out. Items whose columns the model
 * does not know make every name of their level uncertain: `complete` is false then.
 */
export function visibleColumns(st: ScopeState): { columns: VisibleColumn[]; complete: boolean } {
  const columns: VisibleColumn[] = [];
  const hidden = new Set<string>();
  let complete = true;
  let up = 0;
  for (let s: ScopeState | undefined = st; s; s = s.parent, up++) {
    const level: VisibleColumn[] = [];
    const count = new Map<string, number>();
    for (const ns of s.ns) if (ns.colsVisible && !(ns.lateralOnly && !s.lateralActive) && !ns.columns) complete = false;
    for (const ns of s.ns) {
      if (!ns.colsVisible || (ns.lateralOnly && !s.lateralActive) || !ns.columns) continue;
      for (const c of ns.columns) {
        if (hidden.has(c.name)) continue;
        count.set(c.name, (count.get(c.name) ?? 0) + 1);
        level.push({ item: ns, column: c, levelsUp: up, ambiguous: false, uncertain: !complete });
      }
    }
    for (const v of level) {
      v.ambiguous = (count.get(v.column.name) ?? 0) > 1;
      columns.push(v);
    }
    for (const name of count.keys()) hidden.add(name);
    if (s.isolated) break;
  }
  return { columns, complete };
}

/** The items a qualified name (`alias.`) can reach from `st`, innermost level first (refnameNamespaceItem()). */
export function visibleRelations(st: ScopeState): { item: ScopeItem; levelsUp: number }[] {
  const out: { item: ScopeItem; levelsUp: number }[] = [];
  const seen = new Set<string>();
  let up = 0;
  for (let s: ScopeState | undefined = st; s; s = s.parent, up++) {
    const names = new Set<string>();
    for (const ns of s.ns) {
      if (!ns.relVisible || !ns.refname || (ns.lateralOnly && !s.lateralActive) || seen.has(ns.refname)) continue;
      names.add(ns.refname);
      out.push({ item: ns, levelsUp: up });
    }
    for (const n of names) seen.add(n);
    if (s.isolated) break;
  }
  return out;
}

/** The item `qualifier` (`alias`, `table` or `schema.table`) names from `st`, as a qualified column reference finds it. */
export function relationNamed(st: ScopeState, qualifier: readonly string[]): ScopeItem | undefined {
  const name = qualifier[qualifier.length - 1];
  const schema = qualifier.length >= 2 ? qualifier[qualifier.length - 2] : undefined;
  for (let s: ScopeState | undefined = st; s; s = s.parent) {
    const found = s.ns.filter((ns) => ns.relVisible && ns.refname === name && !(ns.lateralOnly && !s.lateralActive) && (schema === undefined || (!ns.aliased && ns.schema === schema)));
    if (found.length === 1) return found[0];
    if (found.length > 1) return undefined; // ambiguous: PostgreSQL refuses it
    if (s.isolated) break;
  }
  return undefined;
}

/** The CTEs a relation name can reach from `st` (scanNameSpaceForCTE()), nearest first. */
export function visibleCtes(st: ScopeState): CteDef[] {
  const out: CteDef[] = [];
  const seen = new Set<string>();
  for (let s: ScopeState | undefined = st; s; s = s.parent) {
    for (const [name, cte] of s.ctes) {
      if (seen.has(name)) continue;
      seen.add(name);
      out.push(cte);
    }
    if (s.isolated) break;
  }
  return out;
}
