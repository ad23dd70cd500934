/**
 * Small helpers over libpg-query's JSON parse tree (`{ NodeType: { ...fields } }`).
 */
import type { PgNode } from './libpg';

export type { PgNode };

/** The node type name of a wrapped node (`SelectStmt`, `ColumnRef`, ...). */
export function nodeType(node: PgNode | undefined | null): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  // the only key, without allocating a key array
  let type: string | undefined;
  for (const k in node) {
    if (type !== undefined) return undefined;
    type = k;
  }
  return type;
}

/** Whether a `ColumnRef`'s fields end in `*` (`*`, `t.*`). */
export function isStarRef(ref: PgNode | undefined): boolean {
  const fields: PgNode[] | undefined = ref?.fields;
  return !!fields && fields.length > 0 && nodeType(fields[fields.length - 1]) === 'A_Star';
}

/** The fields of a wrapped node when it has the given type. */
export function as<T = PgNode>(node: PgNode | undefined | null, type: string): T | undefined {
  return node && typeof node === 'object' ? (node[type] as T | undefined) : undefined;
}

/** A `String` node's value, or the value of an `A_Const` string. */
export function stringValue(node: PgNode | undefined | null): string | undefined {
  if (!node) return undefined;
  if (node.String) return node.String.sval ?? '';
  if (node.A_Const?.sval) return node.A_Const.sval.sval ?? '';
  return undefined;
}

/** Names of a qualified name list (`[String, String]`). */
export function nameList(list: PgNode[] | undefined): string[] {
  const out: string[] = [];
  if (list) {
    for (const n of list) {
      const s = stringValue(n);
      if (s) out.push(s);
    }
  }
  return out;
}

/** The last part of a function name (`pg_catalog.now` -> `now`), lower-cased. */
export function functionName(funcCall: PgNode): string {
  const names = nameList(funcCall.funcname);
  return (names[names.length - 1] ?? '').toLowerCase();
}

/**
 * Visits every wrapped node under `node` (depth first, parents before children). Return `false` from
 * the callback to skip a node's children.
 */
export function walk(node: unknown, visit: (type: string, fields: PgNode, wrapper: PgNode) => boolean | void): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) walk(node[i], visit);
    return;
  }
  const obj = node as PgNode;
  let only: string | undefined;
  let count = 0;
  for (const k in obj) {
    only = k;
    if (++count > 1) break;
  }
  if (count === 1 && only !== undefined) {
    const c = only.charCodeAt(0);
    const fields = obj[only];
    if (c >= 65 && c <= 90 && fields !== null && typeof fields === 'object' && !Array.isArray(fields)) {
      if (visit(only, fields as PgNode, obj) === false) return;
      for (const k in fields) {
        const v = fields[k];
        if (v !== null && typeof v === 'object') walk(v, visit);
      }
      return;
    }
  }
  for (const k in obj) {
    const v = obj[k];
    if (v !== null && typeof v === 'object') walk(v, visit);
  }
}

/** Whether `node` holds a node of type `type` anywhere. */
export function containsNode(node: unknown, type: string): boolean {
  return firstNode(node, type) !== undefined;
}

/** The first node of type `type` in `node` (the wrapper, `{ [type]: fields }`), depth first. */
export function firstNode(node: unknown, type: string): PgNode | undefined {
  let found: PgNode | undefined;
  walk(node, (t, _fields, wrapper) => {
    if (!found && t === type) found = wrapper;
    return found ? false : undefined;
  });
  return found;
}

/**
 * A function in FROM (a RangeFunction's fields) that PostgreSQL marks LATERAL: written so, or reading a column (of an
 * earlier FROM item: transformRangeFunction's contain_vars_of_level; any column reference is taken as one).
 */
export function isLateralFunction(rf: PgNode): boolean {
  return !!rf.lateral || containsNode(rf.functions, 'ColumnRef');
}

/** The expression under any number of casts (`x::int::text` -> `x`). */
export function stripCast(node: PgNode | undefined): PgNode | undefined {
  let n = node;
  while (n?.TypeCast) n = n.TypeCast.arg;
  return n;
}

/**
 * PostgreSQL's equal() on raw parse trees: the same structure, locations aside. `leaf` may decide a pair of
 * nodes itself (true or false), or return undefined to compare them field by field.
 */
export function sameTree(a: unknown, b: unknown, leaf?: (a: PgNode, b: PgNode) => boolean | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameTree(a[i], b[i], leaf)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const decided = leaf?.(a as PgNode, b as PgNode);
  if (decided !== undefined) return decided;
  let na = 0;
  for (const k in a) {
    if (k === 'location') continue;
    na++;
    if (!sameTree((a as PgNode)[k], (b as PgNode)[k], leaf)) return false;
  }
  let nb = 0;
  for (const k in b) if (k !== 'location') nb++;
  return na === nb;
}

/**
 * A deep copy of a parse tree with every node location replaced by `location`: for a tree parsed from
 * another statement (a view's query), so that positions computed from it point at `location` in this one.
 */
export function relocated<T>(node: T, location: number): T {
  if (Array.isArray(node)) return node.map((n) => relocated(n, location)) as T;
  if (node === null || typeof node !== 'object') return node;
  const out: PgNode = {};
  for (const k in node as PgNode) {
    const v = (node as PgNode)[k];
    out[k] = k === 'location' && typeof v === 'number' && v >= 0 ? location : relocated(v, location);
  }
  return out as T;
}
