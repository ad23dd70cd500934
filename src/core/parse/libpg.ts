/**
 * The libpg-query adapter: the only module that calls the parser. Never throws: a parse failure is
 * returned as data with a character offset into the parsed text.
 */
import * as pg from '@libpg-query/parser';

let loading: Promise<void> | undefined;
let loaded = false;

/** Loads the parser's WebAssembly module once. Every other function here needs it loaded. */
export function loadParser(): Promise<void> {
  loading ??= pg.loadModule().then(() => {
    loaded = true;
  });
  return loading;
}

export function isParserLoaded(): boolean {
  return loaded;
}

/** A raw parse tree node as libpg-query returns it: `{ NodeType: { ...fields } }`. */
export type PgNode = Record<string, any>;

export interface RawStatement {
  stmt: PgNode;
  /** byte offset of the statement in the parsed text */
  location: number;
  /** byte length, when the parser gives one */
  length?: number;
}

export type ParseOutcome =
  | { ok: true; statements: RawStatement[] }
  | { ok: false; message: string; /** character offset into the parsed text */ offset: number };

export function parseSql(sql: string): ParseOutcome {
  if (!loaded) throw new Error('parser not loaded: await loadParser() first');
  try {
    const tree = pg.parseSync(sql) as { stmts?: { stmt: PgNode; stmt_location?: number; stmt_len?: number }[] };
    return {
      ok: true,
      statements: (tree.stmts ?? []).map((s) => ({ stmt: s.stmt, location: s.stmt_location ?? 0, length: s.stmt_len })),
    };
  } catch (e) {
    return { ok: false, message: errorMessage(e), offset: errorOffset(e, sql) };
  }
}

export type PlpgsqlOutcome = { ok: true; tree: PgNode } | { ok: false; message: string };

/** Parses a complete `CREATE FUNCTION ... LANGUAGE plpgsql` statement with the PL/pgSQL parser. */
export function parsePlpgsql(createFunctionSql: string): PlpgsqlOutcome {
  if (!loaded) throw new Error('parser not loaded: await loadParser() first');
  try {
    return { ok: true, tree: pg.parsePlPgSQLSync(createFunctionSql) as PgNode };
  } catch (e) {
    return { ok: false, message: errorMessage(e) };
  }
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function errorOffset(e: unknown, sql: string): number {
  const details = (e as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
  const pos = details?.cursorPosition;
  if (typeof pos === 'number' && pos >= 0) return Math.min(pos, sql.length);
  return sql.length;
}
