/**
 * The relations a user function's body reads (LANGUAGE sql and plpgsql), by name as written, for the
 * nested-distributed-query rule (src/core/planner/nestedQuery.ts): a function that queries a Citus table, called where
 * Citus runs it on a shard, fails there. Names are resolved when the function is called (PostgreSQL resolves a body's
 * names then too). A body that does not parse, builds its query text (EXECUTE), or is of another language gives none.
 */
import { walk, type PgNode } from '../parse/ast';
import { parsePlpgsql, parseSql } from '../parse/libpg';

export interface ReadName {
  schema?: string;
  name: string;
}

/**
 * The answer for each CreateFunctionStmt node: a document's DDL is applied again for every model built from it (each
 * file of a CLI run reads the other files' schema; the language server rebuilds its models), and its parse tree is
 * the same, so the body is parsed once.
 */
const known = new WeakMap<PgNode, ReadName[] | null>();

/** The relations `fn` (a CreateFunctionStmt node of the statement text `sql`) reads; undefined when not known. */
export function functionBodyReads(fn: PgNode, sql: string, language: string | undefined): ReadName[] | undefined {
  let reads = known.get(fn);
  if (reads === undefined) {
    reads = bodyReads(fn, sql, language) ?? null;
    known.set(fn, reads);
  }
  return reads ?? undefined;
}

function bodyReads(fn: PgNode, sql: string, language: string | undefined): ReadName[] | undefined {
  if (fn.sql_body) return readsOf(fn.sql_body);
  const as = (fn.options ?? []).find((o: PgNode) => o.DefElem?.defname === 'as');
  const items: PgNode[] = as?.DefElem?.arg?.List?.items ?? (as?.DefElem?.arg ? [as.DefElem.arg] : []);
  const body: unknown = items[0]?.String?.sval;
  if (typeof body !== 'string') return undefined;
  if (language === 'sql') {
    const parsed = parseSql(body);
    return parsed.ok ? readsOf(parsed.statements.map((s) => s.stmt)) : undefined;
  }
  if (language !== 'plpgsql') return undefined;
  const parsed = parsePlpgsql(sql);
  if (!parsed.ok) return undefined;
  const texts: string[] = [];
  let dynamic = false;
  walk(parsed.tree, (type, f) => {
    if (type === 'PLpgSQL_stmt_dynexecute' || type === 'PLpgSQL_stmt_dynfors' || (type === 'PLpgSQL_stmt_return_query' && f.dynquery)) dynamic = true;
    if (type === 'PLpgSQL_expr' && typeof f.query === 'string') texts.push(f.query);
  });
  if (dynamic) return undefined;
  const reads: ReadName[] = [];
  for (const text of texts) {
    // an expression is evaluated as `SELECT <expression>`
    const statement = /^\s*(WITH|SELECT|INSERT|UPDATE|DELETE|MERGE|VALUES|TABLE)\b/i.test(text) ? text : `SELECT ${text}`;
    const q = parseSql(statement);
    if (!q.ok) return undefined;
    reads.push(...readsOf(q.statements.map((s) => s.stmt)));
  }
  return reads;
}

/** The RangeVars of statements, less the names of their CTEs. */
function readsOf(tree: unknown): ReadName[] {
  const ctes = new Set<string>();
  walk(tree, (type, f) => {
    if (type === 'CommonTableExpr' && typeof f.ctename === 'string') ctes.add(f.ctename);
  });
  const out: ReadName[] = [];
  walk(tree, (type, f) => {
    if (type !== 'RangeVar' || typeof f.relname !== 'string') return;
    if (!f.schemaname && ctes.has(f.relname)) return;
    if (!out.some((r) => r.name === f.relname && r.schema === f.schemaname)) out.push(f.schemaname ? { schema: f.schemaname, name: f.relname } : { name: f.relname });
  });
  return out;
}
