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
 * A function's body as the schema model keeps it: text only (no parse tree, whose positions depend on how the document
 * was parsed), its tables worked out when a call asks for them (functionReads). A BEGIN ATOMIC body has them already.
 */
export type FunctionBody = { reads: ReadName[] } | { language: 'sql'; source: string } | { language: 'plpgsql'; createFunction: string };

/** The body of a CreateFunctionStmt node (the statement's text `sql`), for the schema model; undefined for other languages. */
export function functionBody(fn: PgNode, sql: string, language: string | undefined): FunctionBody | undefined {
  if (fn.sql_body) return { reads: readsOf(fn.sql_body) };
  const as = (fn.options ?? []).find((o: PgNode) => o.DefElem?.defname === 'as');
  const items: PgNode[] = as?.DefElem?.arg?.List?.items ?? (as?.DefElem?.arg ? [as.DefElem.arg] : []);
  const source: unknown = items[0]?.String?.sval;
  if (typeof source !== 'string') return undefined;
  if (language === 'sql') return { language, source };
  return language === 'plpgsql' ? { language, createFunction: sql } : undefined;
}

/**
 * The answers by body text: worked out when a call asks (most functions are never called where it matters), and once
 * however many models the same DDL is applied to (each file of a CLI run reads the other files' schema; the language
 * server rebuilds its models). Bounded: a long editing session writes many versions of a body.
 */
const known = new Map<string, ReadName[] | null>();
const MAX_KNOWN = 5000;

/** The relations a function's body reads; undefined when not known. */
export function functionReads(body: FunctionBody | undefined): ReadName[] | undefined {
  if (!body) return undefined;
  if ('reads' in body) return body.reads;
  const key = body.language === 'sql' ? `sql\0${body.source}` : `plpgsql\0${body.createFunction}`;
  let reads = known.get(key);
  if (reads === undefined) {
    reads = (body.language === 'sql' ? sqlReads(body.source) : plpgsqlReads(body.createFunction)) ?? null;
    if (known.size >= MAX_KNOWN) known.clear();
    known.set(key, reads);
  }
  return reads ?? undefined;
}

function sqlReads(source: string): ReadName[] | undefined {
  const parsed = parseSql(source);
  return parsed.ok ? readsOf(parsed.statements.map((s) => s.stmt)) : undefined;
}

function plpgsqlReads(createFunction: string): ReadName[] | undefined {
  const parsed = parsePlpgsql(createFunction);
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
